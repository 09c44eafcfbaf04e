import { describeNextBuild } from './suite';

// `next build --webpack`: client, server and edge compilers (in Next's build workers), one session.
describeNextBuild('webpack');
