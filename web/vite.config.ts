// Vite build and Vitest configuration for the Beian web console.
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// During `npm run dev` the API lives on the running `beian serve`; BEIAN_DEV_API picks which
// service (agent on 8080 by default, authority on 8090) the dev server forwards to.
const devApi = process.env.BEIAN_DEV_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        // Keep the UI kit and React in their own long-cached chunks: they change far less often
        // than the app code.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ },
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design|rc-[^\\/]+|@rc-component)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': devApi,
      '/authority': devApi,
      '/app-config.json': devApi,
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test-setup.ts'],
    css: false,
    // The machine is shared with C++ builds; whole-app tests in jsdom can be slow there.
    testTimeout: 30_000,
  },
});
