// Runs webpack through its Node API (no webpack-cli to install) with webpack.config.mjs;
// exits non-zero with webpack's errors when the build has any.
import webpack from 'webpack';
import config from './webpack.config.mjs';

webpack(config, (err, stats) => {
  if (err) {
    console.error(err.stack || String(err));
    process.exit(1);
  }
  const info = stats.toJson({ all: false, errors: true, warnings: true });
  for (const w of info.warnings) console.error('warning:', w.message);
  if (stats.hasErrors()) {
    for (const e of info.errors) console.error(e.message);
    process.exit(1);
  }
});
