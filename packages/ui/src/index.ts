// Presentational components shared by the apps. No data fetching and no framework imports here:
// routing (next/link) is passed in, so the components render the same in tests and in Next.
export { cx } from "./cx";
export { Alert, type AlertProps } from "./Alert";
export { Button, type ButtonProps, type ButtonVariant } from "./Button";
export { Card, type CardProps } from "./Card";
export { DataTable, type Column, type DataTableProps } from "./DataTable";
export { DropZone, type DropZoneProps } from "./DropZone";
export { EmptyState, type EmptyStateProps } from "./EmptyState";
export { FormField, type FormFieldProps } from "./FormField";
export { NavBar, NavLink, type LinkLikeProps, type NavBarProps, type NavLinkProps } from "./NavBar";
export { PageHeader, type PageHeaderProps } from "./PageHeader";
export { ProgressBar, type ProgressBarProps } from "./ProgressBar";
export { RoleBadge, roleLabels } from "./RoleBadge";
export { StatCard, StatGrid, type StatCardProps } from "./StatCard";
export { StatusPill, type StatusPillProps, type StatusTone } from "./StatusPill";
export { ProbabilityBars, type ProbabilityBarsProps, type ProbabilityItem } from "./ProbabilityBars";
