// What travels between the client and the service: where tRPC is mounted and how values are encoded (superjson
// keeps Dates as Dates). Both sides import it from here, so they cannot drift apart.
import superjson from "superjson";

/** The service serves tRPC under this path; the client appends it to the service's base URL. */
export const trpcPath = "/trpc";

export const transformer = superjson;
