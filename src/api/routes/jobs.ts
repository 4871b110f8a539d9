import type { FastifyPluginAsync } from "fastify";
import type { Store, StoreLocation } from "../../store/index.js";
import { requireRole } from "../auth.js";
import { ApiError } from "../errors.js";

/**
 * Options of the jobs routes: the server's store and where it lives (jobs need PostgreSQL).
 *
 * @example
 * await app.register(jobsRoutes, { store, location });
 */
export interface JobsRoutesOptions {
  store: Store;
  location: StoreLocation;
}

/**
 * Batch screening jobs: `POST /jobs/screen`, `GET /jobs/{id}`, `GET /jobs/{id}/results`.
 * First version: the routes exist and answer 503 until the queue lands.
 *
 * @example
 * await app.register(jobsRoutes, { store, location });
 */
export const jobsRoutes: FastifyPluginAsync<JobsRoutesOptions> = async (app) => {
  const notYet = async () => {
    throw new ApiError(503, "unavailable", "batch jobs are not available yet");
  };
  app.post("/jobs/screen", { onRequest: requireRole("analyst") }, notYet);
  app.get("/jobs/:id", { onRequest: requireRole("analyst") }, notYet);
  app.get("/jobs/:id/results", { onRequest: requireRole("analyst") }, notYet);
};
