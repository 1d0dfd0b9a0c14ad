// The baseline's activity: no I/O; the last one of a workflow tells the bench that the workflow is done.

export function bareActivities(onLast: () => void) {
  return {
    async noop(last: boolean): Promise<void> {
      if (last) onLast();
    },
  };
}

export type BareActivities = ReturnType<typeof bareActivities>;
