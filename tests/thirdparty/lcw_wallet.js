// Plays the DCC Learner Credential Wallet (LCW v2.1.x) following an LCW request link (`request.html` /
// `dccrequest://request?…&auth_type=bearer`), with LCW's own libraries at the versions its package-lock.json
// pins, step by step as its code does:
// - app/lib/did.ts `mintDid`: the did:key driver of @digitalcredentials/did-method-key generates the DID (it
//   ignores the `randomBytes` LCW passes and draws its own); the wallet keeps the DID document and key pair as
//   JSON and reads them back for every request (app/model/did.ts);
// - app/lib/credentialRequest.ts `requestCredential`: auth_type=bearer sends no Authorization header ("the
//   'challenge' param will be passed in the VP"); the body is the signed presentation itself, as JSON;
// - app/lib/present.ts `createVerifiablePresentation`: vc.createPresentation({holder}) signed with
//   Ed25519Signature2020 over the challenge only (no domain), contexts from security-document-loader;
// - app/lib/parseResponse.ts and verifiableObject.ts: the response text is HTML-entity-decoded, parsed as
//   JSON, and taken as one credential (a VerifiableCredential) or the credentials of a VerifiablePresentation.
// LCW also checks the response with its own verifier, which only logs a warning on failure; that part is left
// out here (it asks DCC's issuer registries over the network), and the tests verify with verify.js instead.
//
// Reads {link, didRecord} as JSON on stdin, didRecord being what an earlier run printed (the same wallet) or
// null (a new install); prints {didRecord, did, presentation, status, credentials} or, when the registry
// refuses, {didRecord, did, presentation, status, error} with its error response.
import * as DidMethodKey from '@digitalcredentials/did-method-key';
import * as vc from '@digitalcredentials/vc';
import {Ed25519VerificationKey2020} from '@digitalcredentials/ed25519-verification-key-2020';
import {Ed25519Signature2020} from '@digitalcredentials/ed25519-signature-2020';
import {securityLoader} from '@digitalcredentials/security-document-loader';
import * as HtmlEntities from 'html-entities';

const documentLoader = securityLoader({fetchRemoteContexts: true}).build();

async function mintDid() {
  const randomBytes = crypto.getRandomValues(new Uint8Array(32));
  const {didDocument, keyPairs} = await DidMethodKey.driver().generate({randomBytes});
  const [verificationKey] = Array.from(keyPairs).map(([, pair]) => pair);
  return JSON.parse(JSON.stringify({didDocument, verificationKey}));
}

async function createVerifiablePresentation({didRecord, challenge}) {
  const verificationKeyPair = await Ed25519VerificationKey2020.from(didRecord.verificationKey);
  const suite = new Ed25519Signature2020({key: verificationKeyPair});
  const holder = didRecord.didDocument.id;
  const presentation = vc.createPresentation({verifiableCredential: undefined, holder});
  return vc.signPresentation({presentation, suite, challenge, documentLoader});
}

function extractCredentialsFrom(obj) {
  if (obj.type?.includes('VerifiableCredential')) return [obj];
  if (obj.type?.includes('VerifiablePresentation')) return [].concat(obj.verifiableCredential);
  return null;
}

let input = '';
process.stdin.on('data', chunk => { input += chunk; });
process.stdin.on('end', async () => {
  const {link, didRecord: stored} = JSON.parse(input);
  const params = Object.fromEntries(new URL(link).searchParams);
  if (params.auth_type !== 'bearer') throw new Error(`Unsupported auth_type value: "${params.auth_type}".`);
  const didRecord = stored || await mintDid();
  const presentation = await createVerifiablePresentation({didRecord, challenge: params.challenge});
  const response = await fetch(params.vc_request_url, {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify(presentation),
  });
  const responseBody = JSON.parse(HtmlEntities.decode(await response.text()));
  const result = {didRecord, did: didRecord.didDocument.id, presentation, status: response.status};
  if (response.ok) {
    result.credentials = extractCredentialsFrom(responseBody);
  } else {
    result.error = responseBody;
  }
  process.stdout.write(JSON.stringify(result));
});
