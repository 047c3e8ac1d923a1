// One image, three functions, as in vSwarm: the build arg `target_arg` (driver | mapper | reducer)
// is baked into the image as MAP_REDUCE_ROLE, and this entry point runs that role.
import { drive } from "./driver";
import { map } from "./mapper";
import { reduce } from "./reducer";

export const ROLES = { driver: drive, mapper: map, reducer: reduce } as const;
export type Role = keyof typeof ROLES;

export async function handler(event: unknown): Promise<unknown> {
  const role = process.env.MAP_REDUCE_ROLE;
  if (!role || !(role in ROLES)) {
    throw new Error(`MAP_REDUCE_ROLE is ${JSON.stringify(role)}: build the image with --build-arg target_arg=driver|mapper|reducer`);
  }
  return (ROLES[role as Role] as (e: unknown) => Promise<unknown>)(event);
}
