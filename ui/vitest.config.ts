// Unit tests: pure logic (catalogs, formatting, routing, error text). Browser tests live in
// tests/browser and run under node:test with Playwright instead.
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
  },
});
