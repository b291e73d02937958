// Renderer entry: creates the Vue app with Pinia and mounts it; the App connects to the engine.
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import './style.css';

createApp(App).use(createPinia()).mount('#app');
