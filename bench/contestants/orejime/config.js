// Orejime 3.2.1, configured as its README shows: window.orejimeConfig set
// before orejime-standard-en.js, purposes listed, and the stand-ins wrapped in
// <template data-purpose="…"> elements.
window.orejimeConfig = {
  privacyPolicyUrl: '/privacy',
  purposes: [
    { id: 'analytics', title: 'Analytics', description: 'Counts visits to improve the shop.', cookies: [/^_bench_an/] },
    { id: 'marketing', title: 'Marketing', description: 'Shows offers that fit your interests.', cookies: [/^_bench_mk/] },
    { id: 'video', title: 'Video', description: 'Videos from another site.', cookies: [] },
  ],
};
