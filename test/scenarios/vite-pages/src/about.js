globalThis.vitePagesAbout = 'pages-about';
