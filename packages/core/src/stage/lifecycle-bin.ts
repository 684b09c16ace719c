/**
 * Second entry of the stage runner bundle (`factory/dist/bin/stage-lifecycle.cjs`): the status
 * writer, with zod and YAML. The runner loads it only when a stage run changes a task's status,
 * so a stage that changes nothing starts without them.
 */
export { setTaskStatus } from '../lifecycle/status';
export { loadTask } from '../store/load';
