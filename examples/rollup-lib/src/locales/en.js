export const labels = { hour: 'hours', minute: 'minutes', second: 'seconds' };
