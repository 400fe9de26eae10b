/**
 * The part of the Reflect metadata API that tsyringe, which @peculiar/x509 uses, needs to load and run:
 * `getMetadata`, `getOwnMetadata` and `defineMetadata`, installed on the global `Reflect` only where no
 * polyfill is there already. Not the reflect-metadata package: it is 4 kB of the package's 300 kB (gzipped),
 * and installs the whole API over the global `Reflect` of every process that loads the emulator, where an
 * application that forgot to import it itself would then not fail as it does without the emulator. No
 * `Reflect.metadata` here, which the decorators TypeScript emits for such applications look for.
 */
type MetadataTarget = object;

const store = new WeakMap<MetadataTarget, Map<string | symbol | undefined, Map<unknown, unknown>>>();

function ownMetadata(key: unknown, target: MetadataTarget, property?: string | symbol): unknown {
  return store.get(target)?.get(property)?.get(key);
}

function inheritedMetadata(key: unknown, target: MetadataTarget, property?: string | symbol): unknown {
  for (let at: MetadataTarget | null = target; at !== null; at = Object.getPrototypeOf(at) as MetadataTarget | null) {
    const found = store.get(at)?.get(property);
    if (found?.has(key)) return found.get(key);
  }
  return undefined;
}

function defineMetadata(key: unknown, value: unknown, target: MetadataTarget, property?: string | symbol): void {
  let byProperty = store.get(target);
  if (!byProperty) store.set(target, (byProperty = new Map()));
  let values = byProperty.get(property);
  if (!values) byProperty.set(property, (values = new Map()));
  values.set(key, value);
}

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect.getMetadata !== 'function') {
  Object.assign(reflect, { getMetadata: inheritedMetadata, getOwnMetadata: ownMetadata, defineMetadata });
}
