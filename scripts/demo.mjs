// Placeholder until the demo lands: proves the packages build and load.
const core = await import('@hogmaps/core');
console.log(`hogmaps core loaded (${Object.keys(core).length} exports).`);
