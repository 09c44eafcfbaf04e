// The vocabulary of the synthetic app: a product-analytics SaaS front end, so identifiers, strings
// and comments vary the way a real code base does (which matters for minified size and compression).
import type { Random } from './random';

/** Whitespace-separated words; `_` stands for a space inside one entry. */
function list(text: string): readonly string[] {
  return text
    .trim()
    .split(/\s+/)
    .map((word) => word.replace(/_/g, ' '));
}

export const NOUNS = list(`
  account action activity alert annotation api_key audit_log batch_export billing breakdown cache
  campaign chart cohort comment connection credential customer dashboard dataset destination
  domain email environment error event experiment export feature_flag filter funnel group heatmap
  hook import insight integration invite invoice issue job layout limit member metric migration
  notebook notification order organization page panel payment period permission person pipeline
  plan plugin preference project property query recording release report retention role rule
  schedule schema segment series session setting source stack_trace step subscription survey table
  tag task team template theme ticket timeline token toolbar trend usage user variant view
  warehouse webhook widget workflow
`);

export const VERBS = list(`
  apply archive build calculate check clear clone collect compare compute configure convert count
  create decode delete describe detect diff dispatch duplicate encode ensure estimate expand
  export extract fetch filter find flatten format group handle hydrate import index init load
  lookup map mark measure merge migrate normalize notify open order paginate parse persist prepare
  preview process publish query rank read record reduce refresh register reload remove rename
  render reorder replace reset resolve restore retry sanitize save schedule score search select
  serialize share sort split submit summarize sync toggle track transform trim update upload
  validate verify watch
`);

export const ADJECTIVES = list(`
  active aggregated archived cached current custom daily default deleted disabled draft empty
  enabled expired external failed filtered global grouped hidden internal invalid last latest
  linked local locked monthly new next open optional paused pending pinned primary private public
  queued recent remote required running saved scheduled selected shared sorted stale starred total
  unread unsaved upcoming valid visible weekly
`);

export const STATUSES = list(`
  active pending failed archived draft running paused completed
`);

export const PROPS = list(`
  id name label status createdAt updatedAt ownerId teamId count total value order kind tags
  description enabled visible priority score duration url email timezone currency interval
  threshold version parentId position color
`);

export const UI_PHRASES = [
  'Something went wrong while loading',
  'No results match your filters',
  'Are you sure you want to delete',
  'Changes saved',
  'You do not have permission to view',
  'Try again in a few minutes',
  'Learn more about',
  'Showing the last 30 days of',
  'Upgrade your plan to unlock',
  'Drag to reorder',
  'Click to copy',
  'Loading more',
  'This action cannot be undone',
  'Invite your team to collaborate on',
  'We could not find any',
  'Export as CSV',
  'Last updated',
  'Created by',
  'Select a date range for',
  'Compare with the previous period',
  'Add a description to help your team understand this',
] as const;

const camelWord = (word: string) => word.replace(/ (\w)/g, (_, c: string) => c.toUpperCase());
const pascal = (word: string) => {
  const camel = camelWord(word);
  return camel[0]!.toUpperCase() + camel.slice(1);
};

export function camel(...words: string[]): string {
  const [first = 'value', ...rest] = words;
  return camelWord(first) + rest.map(pascal).join('');
}

export function pascalCase(...words: string[]): string {
  return words.map(pascal).join('');
}

export function kebab(...words: string[]): string {
  return words.join('-').replace(/ /g, '-');
}

/** A sentence of UI copy, e.g. `No results match your filters for invoices.` */
export function sentence(random: Random, noun: string): string {
  return `${random.pick(UI_PHRASES)} ${random.pick(ADJECTIVES)} ${noun}s.`;
}
