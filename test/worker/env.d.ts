// Types for `cloudflare:test`'s env (Cloudflare.Env): the worker's bindings and vars as `wrangler types`
// generates them from wrangler.toml (the tests run with that configuration, so every binding is there).
/// <reference path="../../worker/worker-configuration.d.ts" />
