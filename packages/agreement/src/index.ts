export * from "./kappa";
export * from "./overlap";
export * from "./reference";
export * from "./mrmc";
export * from "./localization";
