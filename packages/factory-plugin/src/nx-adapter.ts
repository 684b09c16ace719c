/**
 * The one place Factory uses an Nx API that is not part of `@nx/devkit`'s public surface.
 * Keep it that way: if Nx moves these, only this file changes.
 */
export { workspaceDataDirectory } from '@nx/devkit/internal';
