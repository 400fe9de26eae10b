/**
 * The Reflect metadata functions tsyringe, which @peculiar/x509 uses, calls (`getMetadata`, `getOwnMetadata`,
 * `defineMetadata`), with those reflect-metadata takes over from a polyfill it finds already there (the
 * `has`, `keys` and `delete` ones), installed on the global `Reflect` only where no polyfill is. Not the
 * reflect-metadata package: it is 4 kB of the package's 300 kB (gzipped), and installs the whole API over
 * the global `Reflect` of every process that loads the emulator, where an application that forgot to import
 * it itself would then not fail as it does without the emulator. No `Reflect.metadata` here, which the
 * decorators TypeScript emits for such applications look for.
 */
import { HelperError } from './errors.js';

type MetadataTarget = object;
type Property = string | symbol | undefined;

const store = new WeakMap<MetadataTarget, Map<Property, Map<unknown, unknown>>>();

const own = (target: MetadataTarget, property: Property) => store.get(target)?.get(property);

/** The target, then its prototypes, as reflect-metadata looks metadata up. */
function* chain(target: MetadataTarget): Generator<MetadataTarget> {
  for (let at: MetadataTarget | null = target; at !== null; at = Object.getPrototypeOf(at) as MetadataTarget | null) yield at;
}

const functions = {
  defineMetadata(key: unknown, value: unknown, target: MetadataTarget, property?: Property): void {
    let byProperty = store.get(target);
    if (!byProperty) store.set(target, (byProperty = new Map()));
    let values = byProperty.get(property);
    if (!values) byProperty.set(property, (values = new Map()));
    values.set(key, value);
  },
  getOwnMetadata: (key: unknown, target: MetadataTarget, property?: Property): unknown => own(target, property)?.get(key),
  getMetadata(key: unknown, target: MetadataTarget, property?: Property): unknown {
    for (const at of chain(target)) if (own(at, property)?.has(key)) return own(at, property)!.get(key);
    return undefined;
  },
  hasOwnMetadata: (key: unknown, target: MetadataTarget, property?: Property): boolean => own(target, property)?.has(key) ?? false,
  hasMetadata: (key: unknown, target: MetadataTarget, property?: Property): boolean => [...chain(target)].some((at) => own(at, property)?.has(key)),
  getOwnMetadataKeys: (target: MetadataTarget, property?: Property): unknown[] => [...(own(target, property)?.keys() ?? [])],
  getMetadataKeys: (target: MetadataTarget, property?: Property): unknown[] => [...new Set([...chain(target)].flatMap((at) => [...(own(at, property)?.keys() ?? [])]))],
  deleteMetadata: (key: unknown, target: MetadataTarget, property?: Property): boolean => own(target, property)?.delete(key) ?? false,
};

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect.getMetadata !== 'function') {
  // A frozen Reflect (Node's --frozen-intrinsics, SES's lockdown()) takes nothing: Object.assign's TypeError
  // was an internal error of check and the emulator (QA: NODE_OPTIONS=--frozen-intrinsics).
  if (!Object.isExtensible(reflect)) {
    throw new HelperError(
      "the global Reflect is frozen (--frozen-intrinsics, SES's lockdown()): @peculiar/x509, with which check and the emulator handle certificates, needs Reflect's metadata functions added to it",
    );
  }
  Object.assign(reflect, functions);
}
