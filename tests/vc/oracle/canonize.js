// Reference RDFC-1.0 (Digital Bazaar's rdf-canonize 4.0.1, vendored in node_modules/, BSD-3-Clause).
// Reads a JSON array of N-Quads documents on stdin; writes a JSON array of canonical forms or errors.
const canonize = require('rdf-canonize');

let input = '';
process.stdin.on('data', chunk => { input += chunk; });
process.stdin.on('end', async () => {
  const results = [];
  for (const {nquads, maxWorkFactor} of JSON.parse(input)) {
    try {
      results.push({canonical: await canonize.canonize(nquads, {
        algorithm: 'RDFC-1.0', inputFormat: 'application/n-quads', maxWorkFactor})});
    } catch (error) {
      results.push({error: error.message});
    }
  }
  process.stdout.write(JSON.stringify(results));
});
