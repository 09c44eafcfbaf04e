import { index, type RouteConfig, route } from '@react-router/dev/routes';

export default [
  index('routes/home.tsx'),
  route('checkout', 'routes/checkout.tsx'),
  route('invoice', 'routes/invoice.tsx'),
] satisfies RouteConfig;
