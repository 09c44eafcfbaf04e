// A second entry that imports shared.js statically: in ES-module output the shared chunk runs before it.
import { format } from './shared.js';

globalThis.hogmapsOther = () => format('other', 1, 0);
