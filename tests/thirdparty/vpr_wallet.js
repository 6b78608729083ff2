// A wallet that follows a verifiable presentation request (W3C CCG VPR) to the letter: it answers the
// DIDAuthentication query with a did:key holder, signed with the first cryptosuite the request names in
// `acceptedCryptosuites` that it knows, using Digital Bazaar's @digitalbazaar/vc and Data Integrity libraries.
// Reads {seed (hex, 32 bytes), request (the verifiablePresentationRequest), contexts} as JSON on stdin and prints
// {did, cryptosuite, presentation}. Nothing is fetched: the document loader serves only the contexts passed in.
import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';

const CRYPTOSUITES = {'eddsa-rdfc-2022': eddsaRdfc2022};

let input = '';
process.stdin.on('data', chunk => { input += chunk; });
process.stdin.on('end', async () => {
  const {seed, request, contexts} = JSON.parse(input);
  const query = [].concat(request.query).find(q => q.type === 'DIDAuthentication');
  if (!query.acceptedMethods.some(({method}) => method === 'key')) throw new Error('did:key is not accepted');
  const name = query.acceptedCryptosuites.map(({cryptosuite}) => cryptosuite).find(n => n in CRYPTOSUITES);
  if (!name) throw new Error(`No cryptosuite this wallet knows among ${JSON.stringify(query.acceptedCryptosuites)}`);
  const key = await Ed25519Multikey.generate({seed: Buffer.from(seed, 'hex')});
  const did = `did:key:${key.publicKeyMultibase}`;
  key.controller = did;
  key.id = `${did}#${key.publicKeyMultibase}`;
  const documents = new Map(Object.entries(contexts));
  const documentLoader = async url => {
    if (!documents.has(url)) throw new Error(`Refusing to fetch ${url}`);
    return {contextUrl: null, documentUrl: url, document: documents.get(url)};
  };
  const suite = new DataIntegrityProof({signer: key.signer(), cryptosuite: CRYPTOSUITES[name]});
  const presentation = await vc.signPresentation({
    presentation: vc.createPresentation({holder: did}),
    suite,
    challenge: request.challenge,
    domain: request.domain,
    documentLoader,
  });
  process.stdout.write(JSON.stringify({did, cryptosuite: name, presentation}));
});
