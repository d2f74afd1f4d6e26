/** Entry point: mounts the app and starts the store from the URL hash (which builds a world). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startFromUrl } from './state/store';
import { App } from './ui/App';
import './ui/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
startFromUrl();
