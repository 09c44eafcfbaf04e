#!/usr/bin/env node
import { formatDuration, parseDuration } from './index.js';

const [text = '', locale] = process.argv.slice(2);
formatDuration(parseDuration(text), locale === 'fr' ? 'fr' : 'en').then(console.log, (error) => {
  console.error(error.message);
  process.exitCode = 1;
});
