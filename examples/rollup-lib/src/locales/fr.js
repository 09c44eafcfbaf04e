export const labels = { hour: 'heures', minute: 'minutes', second: 'secondes' };
