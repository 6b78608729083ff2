import base64
import gzip

import pytest

from awards.vc import bitstring


def test_round_trip_sets_exactly_the_given_bits():
    decoded = bitstring.decode(bitstring.encode([0, 7, 1000], size=131_072))
    assert len(decoded) == 16_384
    assert [i for i in range(2000) if bitstring.is_set(decoded, i)] == [0, 7, 1000]


def test_a_list_that_expands_beyond_the_limit_is_refused():
    bomb = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(2_000_000))).decode().rstrip("=")
    with pytest.raises(ValueError, match="expands beyond 1000000 bytes"):
        bitstring.decode(bomb, max_bytes=1_000_000)


@pytest.mark.parametrize("encoded", ["zABC", "u!!!", "u" + base64.urlsafe_b64encode(b"not gzip").decode(), 42])
def test_malformed_lists_are_value_errors(encoded):
    with pytest.raises(ValueError):
        bitstring.decode(encoded)


def test_an_index_outside_the_list_is_a_value_error():
    with pytest.raises(ValueError, match="outside the status list"):
        bitstring.is_set(bytes(2), 16)
