import base from "../../eslint.config.js";
export default [
  ...base,
  {
    languageOptions: { parserOptions: { project: ["./tsconfig.lint-tmp.json"], tsconfigRootDir: import.meta.dirname } },
  },
];
