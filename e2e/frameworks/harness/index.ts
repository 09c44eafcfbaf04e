// The shared harness of the framework end-to-end tests (see ../README.md for how to use it).
export { launchChromium } from '../../test/harness/browser';
export { lineOf } from '../../test/harness/examples';
export {
  type ExceptionJson,
  type FrameJson,
  type LocalServer,
  startLocalServer,
  waitForExceptions,
} from '../../test/harness/local-server';
export {
  countUploads,
  expectNoHogmapsWarnings,
  expectNoMapsServed,
  expectNothingUploaded,
  expectOneRelease,
  expectOneSnippetEach,
  expectUploadsMatchDeployed,
  hasOwnCode,
  isVitePreloadHelper,
  onlyVirtualModules,
  worthMappingIn,
} from './checks';
export {
  type DeployedFile,
  deployedJs,
  downloadSymbolSets,
  hasSnippet,
  listFiles,
  mapsAnything,
  readDeployedFile,
} from './deployed';
export { expectThrowResolved, framesOf, throwInBrowser, throwOnServer } from './exceptions';
export { requireNode24, withNode24 } from './node24';
export {
  type AppServer,
  type BuildCommand,
  type FrameworkBuild,
  freePort,
  runBuild,
  type ServerCommand,
  startAppServer,
} from './processes';
export {
  describeFrameworkApp,
  type FrameworkAppSpec,
  type ScenarioContext,
  type ThrowSpec,
} from './scenario';
