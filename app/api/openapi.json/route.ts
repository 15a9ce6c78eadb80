import { z } from "zod";
import packageJson from "@/package.json";
import { getConfig } from "@/lib/config";
import { openApiDocument, type ApiRouteModule } from "@/lib/http/openapi/document";
import { route } from "@/lib/http/route";
import { cookieSettings } from "@/lib/sessions/cookie";
import { API_ROUTES } from "./api-routes";

const documentSchema = z.object({ openapi: z.literal("3.1.1"), info: z.object({ title: z.string(), version: z.string() }) }).loose();

/** Built once per process: the routes cannot change while it runs. */
let built: object | null = null;

/** GET /api/openapi.json: the OpenAPI 3.1 description of every JSON API, generated from the routes' own schemas. */
export const GET = route(
  {
    auth: "public",
    doc: {
      summary: "This API's OpenAPI 3.1 description",
      response: { description: "The OpenAPI document.", schema: documentSchema },
    },
  },
  async () => {
    if (!built) {
      const config = getConfig();
      const routes: ApiRouteModule[] = [...API_ROUTES, { path: "/api/openapi.json", module: { GET } }];
      built = openApiDocument(routes, {
        version: packageJson.version,
        serverUrl: config.appOrigin,
        cookieName: cookieSettings(config).name,
      });
    }
    return built;
  },
);
