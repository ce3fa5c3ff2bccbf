import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import { readdirSync } from "node:fs";
import tseslint from "typescript-eslint";

// The rooms of app/ and what may import what (docs/architecture.md).
const features = readdirSync(new URL("./app/features/", import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const databaseClient = {
  group: ["~/platform/db.server", "~/generated/*", "**/platform/db.server", "**/generated/*"],
  message: "Only app/models/ reaches the database: add or use a function in a model module.",
};
const anyFeature = { group: ["~/features/*", "**/features/*"], message: "Features sit above this room: pass what you need in instead." };
const routesAndComponents = { group: ["~/routes/*", "~/components/*", "**/routes/*"], message: "Not from below: routes and components sit above this room." };
const serverPlatform = { group: ["~/platform/*.server", "~/models/*"], message: "app/domain/ is pure: no I/O, no database." };

/** Inside features/<own>: another feature only through its public module (index or index.server). */
function otherFeaturesInternals(own) {
  return features
    .filter((name) => name !== own)
    .map((name) => ({
      regex: `^~/features/${name}/(?!index(\\.server)?$)`,
      message: `Use ~/features/${name}/index.server (or index): a feature's other modules are its own.`,
    }));
}

const boundaries = [
  {
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/models/**", "app/platform/db.server.ts", "app/generated/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [databaseClient] }] },
  },
  {
    files: ["app/platform/**/*.{ts,tsx}"],
    ignores: ["app/platform/db.server.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [databaseClient, anyFeature, routesAndComponents] }] },
  },
  {
    files: ["app/models/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: [anyFeature, routesAndComponents] }] },
  },
  {
    files: ["app/domain/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: [databaseClient, anyFeature, routesAndComponents, serverPlatform] }] },
  },
  {
    files: ["app/components/**/*.{ts,tsx}"],
    rules: { "no-restricted-imports": ["error", { patterns: [databaseClient, anyFeature] }] },
  },
  ...features.map((name) => ({
    files: [`app/features/${name}/**/*.{ts,tsx}`],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [databaseClient, { group: ["~/routes/*"], message: "Routes sit above features." }, ...otherFeaturesInternals(name)] },
      ],
    },
  })),
];

export default tseslint.config(
  { ignores: ["build/", "bench/floor/build/", "app/generated/", "node_modules/", "data/", "coverage/", "test-results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  ...boundaries,
);
