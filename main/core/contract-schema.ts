// The contract's schemas' shared parts: `schemaFor` ties a zod schema to the contract type it checks (what
// it parses must be a T, and it must name every field of T, so a field added to the contract without its
// schema fails to compile), and the fields many calls take (a model id, a path, a list of node names).
import { z } from 'zod'

/** A workspace model's id. */
export const modelIdSchema = z.string().min(1).max(200)

/** A file or folder on the engine's machine. */
export const pathSchema = z.string().min(1).max(4096)

/** Node or op type names (--exclude-nodes, --op-types). */
export const namesSchema = z.array(z.string().min(1).max(500)).max(10000)

type MissingKeys<T, S> = Exclude<keyof T, keyof S>

/** `schemaFor<T>()(schema)`: the schema, typed as parsing a T (checked both ways as far as keys go). */
export function schemaFor<T>() {
  return <S extends z.ZodType<T>>(schema: S & (MissingKeys<T, z.output<S>> extends never ? unknown : { missing: MissingKeys<T, z.output<S>> })): z.ZodType<T> => schema
}
