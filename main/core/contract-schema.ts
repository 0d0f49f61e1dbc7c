// Ties a zod schema to the contract type it checks: what it parses must be a T, and it must name every
// field of T, so a field added to the contract without its schema fails to compile.
import type { z } from 'zod'

type MissingKeys<T, S> = Exclude<keyof T, keyof S>

/** `schemaFor<T>()(schema)`: the schema, typed as parsing a T (checked both ways as far as keys go). */
export function schemaFor<T>() {
  return <S extends z.ZodType<T>>(schema: S & (MissingKeys<T, z.output<S>> extends never ? unknown : { missing: MissingKeys<T, z.output<S>> })): z.ZodType<T> => schema
}
