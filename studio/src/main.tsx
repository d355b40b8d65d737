import { createRoot } from 'react-dom/client';
import { Router } from 'wouter';
import { App } from './app/App';
import './styles.css';

/** The mount path from <base href> (the server sets it), so client routes work under any subpath. */
const base = new URL(document.baseURI).pathname.replace(/\/+$/, '');

createRoot(document.getElementById('root')!).render(
  <Router base={base}>
    <App />
  </Router>,
);
