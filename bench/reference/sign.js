// The reference: Digital Bazaar's @digitalbazaar/vc with the eddsa-rdfc-2022 cryptosuite signs and verifies the
// very credential the registry signs. Reads {document, contexts, count} on stdin; prints per-second rates.
// Nothing is fetched: the document loader serves the registry's vendored contexts and this run's key.
import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import didContext from 'did-context';

let input = '';
process.stdin.on('data', chunk => { input += chunk; });
process.stdin.on('end', async () => {
  const {document, contexts, count} = JSON.parse(input);
  const controller = 'did:example:reference';
  const keyPair = await Ed25519Multikey.generate({controller, id: `${controller}#key-1`});
  const exported = await keyPair.export({publicKey: true, includeContext: true});
  const documents = new Map(Object.entries(contexts));
  documents.set(didContext.CONTEXT_URL, didContext.CONTEXT);
  documents.set(keyPair.id, exported);
  documents.set(controller, {'@context': didContext.CONTEXT_URL, id: controller,
    verificationMethod: [exported], assertionMethod: [keyPair.id]});
  const documentLoader = async url => {
    if (!documents.has(url)) throw new Error(`Refusing to fetch ${url}`);
    return {contextUrl: null, documentUrl: url, document: documents.get(url)};
  };
  const unsigned = {...document, issuer: {...document.issuer, id: controller}};
  const sign = () => vc.issue({credential: structuredClone(unsigned), documentLoader,
    suite: new DataIntegrityProof({signer: keyPair.signer(), cryptosuite})});
  const checkStatus = async () => ({verified: true});  // status lists are outside this comparison
  const verify = async credential => {
    const result = await vc.verifyCredential({credential, documentLoader, checkStatus,
      suite: new DataIntegrityProof({cryptosuite})});
    if (!result.verified) throw new Error(JSON.stringify(result.error));
  };
  for (let i = 0; i < 20; i++) await verify(await sign());  // warm the JIT
  const signed = [];
  let start = performance.now();
  for (let i = 0; i < count; i++) signed.push(await sign());
  const signSeconds = (performance.now() - start) / 1000;
  start = performance.now();
  for (const credential of signed) await verify(credential);
  const verifySeconds = (performance.now() - start) / 1000;
  process.stdout.write(JSON.stringify({sign: count / signSeconds, verify: count / verifySeconds}));
});
