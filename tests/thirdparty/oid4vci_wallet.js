// Plays an OpenID4VCI wallet with Sphereon's @sphereon/oid4vci-client, used as a wallet app uses it and unpatched:
// it resolves the credential offer (by reference or by value), reads the issuer's and the authorisation server's
// metadata, trades the pre-authorised code and PIN for an access token, gets a nonce and asks for the credential
// with a jwt key proof. The key is made here with node's crypto: Ed25519 (EdDSA) or P-256 (ES256), named in the
// proof by a did:key or did:jwk `kid`, or by a bare `jwk` header. Reads {offer, pin, curve, binding} as JSON on
// stdin; prints {did, jwk, credential} or, when the client gives up, {error}, with exit code 1.
import {generateKeyPairSync, sign} from 'node:crypto';
import {OpenID4VCIClient} from '@sphereon/oid4vci-client';
import * as base58 from 'base58-universal';

const ALGORITHMS = {'Ed25519': 'EdDSA', 'P-256': 'ES256'};
// Multicodec prefixes (unsigned varints) of the public keys in a did:key.
const MULTICODEC = {'Ed25519': [0xed, 0x01], 'P-256': [0x80, 0x24]};

const base64url = value => Buffer.from(value).toString('base64url');

function keyPair(curve) {
  return curve === 'Ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', {namedCurve: 'P-256'});
}

function didKey(curve, jwk) {
  const x = Buffer.from(jwk.x, 'base64url');
  // A P-256 did:key holds the compressed point: 02 or 03 (the parity of y), then x.
  const key = curve === 'Ed25519' ? x : Buffer.concat([Buffer.from([2 + (Buffer.from(jwk.y, 'base64url').at(-1) & 1)]), x]);
  return `did:key:z${base58.encode(Buffer.concat([Buffer.from(MULTICODEC[curve]), key]))}`;
}

function holder(curve, binding, jwk) {
  if (binding === 'did:key') {
    const did = didKey(curve, jwk);
    return {did, kid: `${did}#${did.slice('did:key:'.length)}`};
  }
  if (binding === 'did:jwk') {
    const did = `did:jwk:${base64url(JSON.stringify(jwk))}`;
    return {did, kid: `${did}#0`};
  }
  return {did: null, kid: undefined};
}

let input = '';
process.stdin.on('data', chunk => { input += chunk; });
process.stdin.on('end', async () => {
  const {offer, pin, curve, binding} = JSON.parse(input);
  const {publicKey, privateKey} = keyPair(curve);
  const jwk = publicKey.export({format: 'jwk'});
  const alg = ALGORITHMS[curve];
  const {did, kid} = holder(curve, binding, jwk);
  const signCallback = async ({header, payload}) => {
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
    const signature = curve === 'Ed25519'
      ? sign(null, Buffer.from(signingInput), privateKey)
      : sign('sha256', Buffer.from(signingInput), {key: privateKey, dsaEncoding: 'ieee-p1363'});
    return `${signingInput}.${base64url(signature)}`;
  };
  try {
    const client = await OpenID4VCIClient.fromURI({uri: offer, retrieveServerMetadata: true});
    await client.acquireAccessToken({pin});
    const response = await client.acquireCredentials({
      credentialTypes: client.credentialOffer.credential_offer.credential_configuration_ids[0],
      proofCallbacks: {signCallback},
      format: 'ldp_vc',
      alg,
      ...(kid ? {kid} : {jwk}),
    });
    process.stdout.write(JSON.stringify({did, jwk, credential: response.credentials[0].credential}));
  } catch (error) {
    process.stdout.write(JSON.stringify({error: error.message || String(error)}));
    process.exitCode = 1;
  }
});
