import { type ReactNode } from "react";

export interface EmptyStateProps {
  title: string;
  description?: ReactNode;
  action?: ReactNode;
}

export function EmptyState({ title, description, action }: EmptyStateProps) {
  return (
    <div className="cxr-empty" role="status">
      <p className="cxr-empty__title">{title}</p>
      {description ? <p className="cxr-empty__description">{description}</p> : null}
      {action ? <div className="cxr-empty__action">{action}</div> : null}
    </div>
  );
}
