// One flat config for every workspace (each runs `eslint src` from its own folder).
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/.next/**", "**/generated/**", "**/*.mjs", "**/next-env.d.ts"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-syntax": [
        "error",
        {
          selector: "ExportDefaultDeclaration",
          message: "Named exports only (Next.js pages/configs excepted).",
        },
      ],
    },
  },
  {
    files: ["**/app/**/*.tsx", "**/app/**/*.ts", "**/*.config.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
);
