// Stands in for an npm script whose part of the platform has not landed yet, so that the README's
// commands already run end to end. Each caller is removed when its part lands.
const [script, part] = process.argv.slice(2);
console.log(`npm run ${script}: ${part} not built yet; nothing to do.`);
