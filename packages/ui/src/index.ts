// Presentational components shared by the apps. No data fetching and no framework imports here:
// routing (next/link) is passed in, so the components render the same in tests and in Next.
// The exports are what the web app uses; props types stay in their component's file.
export { Alert } from "./Alert";
export { Button } from "./Button";
export { Card } from "./Card";
export { DataTable, type Column } from "./DataTable";
export { DropZone } from "./DropZone";
export { EmptyState } from "./EmptyState";
export { FormField } from "./FormField";
export { NavBar, NavLink } from "./NavBar";
export { PageHeader } from "./PageHeader";
export { ProgressBar } from "./ProgressBar";
export { RoleBadge } from "./RoleBadge";
export { StatCard, StatGrid } from "./StatCard";
export { StatusPill, type StatusTone } from "./StatusPill";
export { ProbabilityBars } from "./ProbabilityBars";
