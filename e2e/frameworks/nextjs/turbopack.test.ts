import { describeNextBuild } from './suite';

// `next build` with Turbopack (Next 16's default): the output injected and uploaded after compiling.
describeNextBuild('turbopack');
