// Plays a learner's wallet the way the DCC Learner Credential Wallet does: a did:key holder signs a DID
// Authentication presentation with Ed25519Signature2020 over the exchange's challenge and domain, using
// Digital Bazaar's @digitalbazaar/vc. Reads {seed (hex, 32 bytes), challenge, domain, contexts} as JSON on stdin
// and prints {did, presentation}. Nothing is fetched: the document loader serves only the contexts passed in.
import * as vc from '@digitalbazaar/vc';
import {Ed25519VerificationKey2020} from '@digitalbazaar/ed25519-verification-key-2020';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';

let input = '';
process.stdin.on('data', chunk => { input += chunk; });
process.stdin.on('end', async () => {
  const {seed, challenge, domain, contexts} = JSON.parse(input);
  const key = await Ed25519VerificationKey2020.generate({seed: Buffer.from(seed, 'hex')});
  const did = `did:key:${key.fingerprint()}`;
  key.controller = did;
  key.id = `${did}#${key.fingerprint()}`;
  const documents = new Map(Object.entries(contexts));
  const documentLoader = async url => {
    if (!documents.has(url)) throw new Error(`Refusing to fetch ${url}`);
    return {contextUrl: null, documentUrl: url, document: documents.get(url)};
  };
  const presentation = vc.createPresentation({holder: did, version: 1.0});
  const suite = new Ed25519Signature2020({key});
  const signed = await vc.signPresentation({presentation, suite, challenge, domain, documentLoader});
  process.stdout.write(JSON.stringify({did, presentation: signed}));
});
