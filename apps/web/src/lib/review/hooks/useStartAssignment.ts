// A campaign case the reader opens is IN_PROGRESS from then on (asked once per assignment).
import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useTRPC } from "~/trpc/react";

export function useStartAssignment(assignment: { id: string; status: string } | null) {
  const trpc = useTRPC();
  const started = useRef(new Set<string>());
  const { mutate } = useMutation(trpc.review.startAssignment.mutationOptions());
  useEffect(() => {
    if (!assignment || assignment.status !== "PENDING" || started.current.has(assignment.id)) return;
    started.current.add(assignment.id);
    mutate({ assignmentId: assignment.id });
  }, [assignment, mutate]);
}
