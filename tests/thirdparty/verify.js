// Verifies credentials with Digital Bazaar's @digitalbazaar/vc + eddsa-rdfc-2022 cryptosuite and its Bitstring
// Status List checker (the libraries the Digital Credentials Consortium's verifiers are built on). Reads {credentials, didDocument, statusLists,
// contexts} as JSON on stdin and prints one {verified, error} per credential. Nothing is fetched: the
// document loader serves only what the test passes in.
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import didContext from 'did-context';
import {checkStatus as checkBitstringStatus} from '@digitalbazaar/vc-bitstring-status-list';

let input = '';
process.stdin.on('data', chunk => { input += chunk; });
process.stdin.on('end', async () => {
  const {credentials, didDocument, statusLists, contexts} = JSON.parse(input);
  const documents = new Map(Object.entries(contexts));
  documents.set(didContext.CONTEXT_URL, didContext.CONTEXT);
  documents.set(didDocument.id, didDocument);
  for (const method of didDocument.verificationMethod) {
    documents.set(method.id, {'@context': 'https://w3id.org/security/multikey/v1', ...method});
  }
  for (const [url, list] of Object.entries(statusLists)) documents.set(url, list);
  // did:key (Ed25519, z6Mk…) resolves from the identifier alone: its one key is both method and fragment.
  const didKey = url => {
    const [did, fragment] = url.split('#');
    const key = did.slice('did:key:'.length);
    const method = {id: `${did}#${key}`, type: 'Multikey', controller: did, publicKeyMultibase: key};
    if (fragment !== undefined) {
      if (fragment !== key) throw new Error(`No such key in ${did}`);
      return {'@context': 'https://w3id.org/security/multikey/v1', ...method};
    }
    return {'@context': [didContext.CONTEXT_URL, 'https://w3id.org/security/multikey/v1'], id: did,
      verificationMethod: [method], assertionMethod: [method.id], authentication: [method.id]};
  };
  const documentLoader = async url => {
    if (url.startsWith('did:key:z6Mk')) return {contextUrl: null, documentUrl: url, document: didKey(url)};
    if (!documents.has(url)) throw new Error(`Refusing to fetch ${url}`);
    return {contextUrl: null, documentUrl: url, document: documents.get(url)};
  };
  const suite = new DataIntegrityProof({cryptosuite});
  // Digital Bazaar's own status checker: the list credential verified, its issuer the credential's, then the bit.
  const checkStatus = ({credential}) => checkBitstringStatus({credential, documentLoader, suite});
  const results = [];
  for (const credential of credentials) {
    try {
      const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
      const errors = [result.error, ...(result.results || []).map(r => r.error),
        result.statusResult && result.statusResult.error].filter(Boolean);
      // The checker reports a set bit as a status, not as a failure: a set bit withdraws the credential.
      const flagged = ((result.statusResult || {}).results || []).filter(r => r.status === true);
      errors.push(...flagged.map(r => new Error(`${r.credentialStatus.statusPurpose} bit is set`)));
      results.push({verified: result.verified && flagged.length === 0,
        error: errors.map(e => e.message || String(e)).join('; ')});
    } catch (error) {
      results.push({verified: false, error: error.message});
    }
  }
  process.stdout.write(JSON.stringify(results));
});
