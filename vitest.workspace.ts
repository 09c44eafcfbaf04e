/** The test projects. Vitest 4 reads this list through `test.projects` in vitest.config.ts. */
export default ['packages/*', 'test', 'test/pack', 'e2e', 'e2e/frameworks', 'bench'];
