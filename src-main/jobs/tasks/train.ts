// Worker task: one training run (fresh or resumed) via train/run.ts, streaming its events to the supervisor.
import { runTraining, type TrainRequest, type TrainSummary } from '../../train/run.ts';
import type { TaskContext } from '../protocol.ts';

export async function run(payload: TrainRequest, ctx: TaskContext): Promise<TrainSummary> {
  return runTraining(payload, { onEvent: (ev) => ctx.emit(ev), shouldStop: () => ctx.shouldStop() });
}
