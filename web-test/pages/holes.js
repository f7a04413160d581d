// Ways page code gets a third-party script, frame or pixel to the browser
// past the usual setters (web-test/holes-elements.test.mjs and the holes
// scenario). `holes.run(family, host, tag)` tries every way of one family
// against `host`, each with its own URL (`…/<tag>-<way>…`), and returns the
// names of the ways tried and of those this browser cannot try.
(function () {
  var SVG = 'http://www.w3.org/2000/svg';
  var XLINK = 'http://www.w3.org/1999/xlink';
  var d = document;
  var js = function (base, id) {
    return base + '/' + id + '.js';
  };
  var frameUrl = function (base, id) {
    return base + '/frame/' + id;
  };
  var pixel = function (base, id) {
    return base + '/pixel/' + id;
  };
  var script = function (url) {
    return '<script src="' + url + '"></' + 'script>';
  };
  var el = function (tag, attrs, parent) {
    var e = d.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent !== null) (parent || d.body).appendChild(e);
    return e;
  };
  /** An element with these properties set (in this order), appended to `parent` (the body by default). */
  var made = function (tag, props, parent) {
    var e = d.createElement(tag);
    for (var k in props) e[k] = props[k];
    (parent || d.body).appendChild(e);
    return e;
  };
  var blankFrame = function (name) {
    var f = el('iframe', name ? { name: name } : {});
    return f;
  };
  var SKIP = {};
  /** Markup of a host with a declarative shadow root holding a frame. */
  var shadowed = function (mode, url) {
    return '<div><template shadowrootmode="' + mode + '"><iframe src="' + url + '"></iframe></template></div>';
  };
  var policy = null;
  /** A Trusted Types policy of the page's own (the CSP allows the name "holes"); null where the browser has none. */
  var trusted = function (html) {
    if (!window.trustedTypes) return null;
    policy =
      policy ||
      trustedTypes.createPolicy('holes', {
        createHTML: function (s) {
          return s;
        },
      });
    return policy.createHTML(html);
  };
  var loaders = function (base, id) {
    return '<iframe src="' + frameUrl(base, id) + '"></iframe><img src="' + pixel(base, id) + '">';
  };
  var violations = [];
  d.addEventListener('securitypolicyviolation', function (e) {
    violations.push(e.violatedDirective + ' ' + e.blockedURI);
  });

  var families = {
    // src set by other means than .src / setAttribute
    attributes: {
      setAttributeNS: function (base, id) {
        var s = d.createElement('script');
        s.setAttributeNS(null, 'src', js(base, id));
        d.head.appendChild(s);
      },
      setAttributeNode: function (base, id) {
        var s = d.createElement('script');
        var a = d.createAttribute('src');
        a.value = js(base, id);
        s.setAttributeNode(a);
        d.head.appendChild(s);
      },
      setAttributeNodeNS: function (base, id) {
        var s = d.createElement('script');
        var a = d.createAttributeNS(null, 'src');
        a.value = js(base, id);
        s.setAttributeNodeNS(a);
        d.head.appendChild(s);
      },
      setNamedItem: function (base, id) {
        var s = d.createElement('script');
        var a = d.createAttribute('src');
        a.value = js(base, id);
        s.attributes.setNamedItem(a);
        d.head.appendChild(s);
      },
      attrValue: function (base, id) {
        var s = el('script', { src: '/own.js?attr' }, null);
        s.getAttributeNode('src').value = js(base, id);
        d.head.appendChild(s);
      },
      attrNodeValue: function (base, id) {
        var s = el('script', { src: '/own.js?attr' }, null);
        s.getAttributeNode('src').nodeValue = js(base, id);
        d.head.appendChild(s);
      },
      attrTextContent: function (base, id) {
        var s = el('script', { src: '/own.js?attr' }, null);
        s.attributes[0].textContent = js(base, id);
        d.head.appendChild(s);
      },
      emptyThenSrc: function (base, id) {
        var s = d.createElement('script');
        d.head.appendChild(s);
        s.setAttributeNS(null, 'src', js(base, id));
      },
      svgHref: function (base, id) {
        var svg = d.createElementNS(SVG, 'svg');
        var s = d.createElementNS(SVG, 'script');
        s.setAttribute('href', js(base, id));
        svg.appendChild(s);
        d.body.appendChild(svg);
      },
      svgXlinkHref: function (base, id) {
        var svg = d.createElementNS(SVG, 'svg');
        var s = d.createElementNS(SVG, 'script');
        s.setAttributeNS(XLINK, 'xlink:href', js(base, id));
        svg.appendChild(s);
        d.body.appendChild(svg);
      },
      objectData: function (base, id) {
        made('object', { data: frameUrl(base, id) });
      },
      objectDataAttribute: function (base, id) {
        el('object', { data: frameUrl(base, id) });
      },
      embedSrc: function (base, id) {
        made('embed', { src: frameUrl(base, id) });
      },
      embedSrcAttribute: function (base, id) {
        el('embed', { src: frameUrl(base, id) });
      },
    },
    // other elements that load a URL
    elements: {
      frame: function (base, id) {
        made('frame', { src: frameUrl(base, id) });
      },
      image: function (base, id) {
        new Image().src = pixel(base, id);
      },
      imgAttribute: function (base, id) {
        el('img', { src: pixel(base, id) }, null);
      },
      imgSrcset: function (base, id) {
        made('img', { srcset: pixel(base, id) + ' 1x' });
      },
      linkPreload: function (base, id) {
        el('link', { rel: 'preload', as: 'image', href: pixel(base, id) }, d.head);
      },
      linkPrefetch: function (base, id) {
        el('link', { rel: 'prefetch', href: pixel(base, id) }, d.head);
      },
      linkModulepreload: function (base, id) {
        made('link', { rel: 'modulepreload', href: js(base, id) }, d.head);
      },
      linkStylesheet: function (base, id) {
        el('link', { rel: 'stylesheet', href: base + '/style/' + id }, d.head);
      },
      sourceSrc: function (base, id) {
        made('source', { src: base + '/media/' + id }, made('video', {}));
      },
      sourceSrcset: function (base, id) {
        var p = made('picture', {});
        made('source', { srcset: pixel(base, id) }, p);
        made('img', {}, p);
      },
      videoSrc: function (base, id) {
        made('video', { src: base + '/media/' + id });
      },
      videoPoster: function (base, id) {
        made('video', { poster: pixel(base, id) });
      },
      audioSrc: function (base, id) {
        var a = new Audio();
        a.src = base + '/media/' + id;
      },
      inputImage: function (base, id) {
        made('input', { type: 'image', src: pixel(base, id) });
      },
      scriptTypeJavascript15: function (base, id) {
        el('script', { type: 'text/javascript1.5', src: js(base, id) }, d.head);
      },
      audioConstructor: function (base, id) {
        new Audio(base + '/media/' + id);
      },
      linkImagesrcset: function (base, id) {
        el('link', { rel: 'preload', as: 'image', imagesrcset: pixel(base, id) + ' 1x' }, d.head);
      },
      // SVG: an image (href, xlink:href, its SVGAnimatedString, markup), a filter's image.
      svgImage: function (base, id) {
        var svg = d.body.appendChild(d.createElementNS(SVG, 'svg'));
        var i = d.createElementNS(SVG, 'image');
        i.setAttribute('href', pixel(base, id));
        svg.appendChild(i);
      },
      svgImageXlink: function (base, id) {
        var svg = d.body.appendChild(d.createElementNS(SVG, 'svg'));
        var i = d.createElementNS(SVG, 'image');
        i.setAttributeNS(XLINK, 'xlink:href', pixel(base, id));
        svg.appendChild(i);
      },
      svgImageBaseVal: function (base, id) {
        var svg = d.body.appendChild(d.createElementNS(SVG, 'svg'));
        var i = svg.appendChild(d.createElementNS(SVG, 'image'));
        i.href.baseVal = pixel(base, id);
      },
      svgImageMarkup: function (base, id) {
        var svg = d.body.appendChild(d.createElementNS(SVG, 'svg'));
        svg.innerHTML = '<image width="4" height="4" href="' + pixel(base, id) + '"/>';
      },
      svgFeImage: function (base, id) {
        var svg = d.body.appendChild(d.createElementNS(SVG, 'svg'));
        svg.innerHTML =
          '<filter id="f-' +
          id +
          '"><feImage href="' +
          pixel(base, id) +
          '"/></filter><rect width="4" height="4" filter="url(#f-' +
          id +
          ')"/>';
      },
      // The legacy background attribute of body and table parts.
      tableBackground: function (base, id) {
        el('div', {}).innerHTML = '<table background="' + pixel(base, id) + '"><tr><td>x</td></tr></table>';
      },
      cellBackgroundAttribute: function (base, id) {
        var td = el('div', {}).appendChild(d.createElement('table')).insertRow().insertCell();
        td.textContent = 'x';
        td.setAttribute('background', pixel(base, id));
      },
      bodyBackground: function (base, id) {
        var frame = el('iframe', {});
        frame.contentDocument.body.background = pixel(base, id);
      },
    },
    // HTML parsed into the page by APIs besides innerHTML
    html: {
      createContextualFragment: function (base, id) {
        var r = d.createRange();
        r.selectNodeContents(d.body);
        d.body.appendChild(r.createContextualFragment(script(js(base, id)) + '<img src="' + pixel(base, id) + '">'));
      },
      shadowRootInnerHTML: function (base, id) {
        var host = el('div');
        host.attachShadow({ mode: 'open' }).innerHTML = '<iframe src="' + frameUrl(base, id) + '"></iframe>';
      },
      setHTMLUnsafe: function (base, id) {
        var host = el('div');
        if (!host.setHTMLUnsafe) return SKIP;
        host.setHTMLUnsafe('<iframe src="' + frameUrl(base, id) + '"></iframe>');
      },
      declarativeShadowRoot: function (base, id) {
        var host = el('div');
        if (!host.setHTMLUnsafe) return SKIP;
        host.setHTMLUnsafe(shadowed('open', frameUrl(base, id)));
      },
      shadowRootSetHTMLUnsafe: function (base, id) {
        var root = el('div').attachShadow({ mode: 'open' });
        if (!root.setHTMLUnsafe) return SKIP;
        root.setHTMLUnsafe('<iframe src="' + frameUrl(base, id) + '"></iframe>');
      },
      parseHTMLUnsafe: function (base, id) {
        if (!Document.parseHTMLUnsafe) return SKIP;
        d.body.appendChild(Document.parseHTMLUnsafe(shadowed('open', frameUrl(base, id))).body.firstChild);
      },
      domParserImport: function (base, id) {
        var doc = new DOMParser().parseFromString('<iframe src="' + frameUrl(base, id) + '"></iframe>', 'text/html');
        d.body.appendChild(d.importNode(doc.body.firstChild, true));
      },
      domParserScriptAdopt: function (base, id) {
        var s = new DOMParser().parseFromString('', 'text/html').createElement('script');
        s.setAttributeNS(null, 'src', js(base, id));
        d.head.appendChild(d.adoptNode(s));
      },
      domParserScriptImport: function (base, id) {
        var s = new DOMParser().parseFromString('', 'text/html').createElement('script');
        s.setAttributeNS(null, 'src', js(base, id));
        d.head.appendChild(d.importNode(s, true));
      },
      templateClone: function (base, id) {
        var t = d.createElement('template');
        t.innerHTML = '<iframe src="' + frameUrl(base, id) + '"></iframe>';
        d.body.appendChild(t.content.cloneNode(true));
      },
      templateImport: function (base, id) {
        var t = d.createElement('template');
        t.innerHTML = '<img src="' + pixel(base, id) + '">';
        d.body.appendChild(d.importNode(t.content, true));
      },
      templateMove: function (base, id) {
        var t = d.createElement('template');
        t.innerHTML = '<iframe src="' + frameUrl(base, id) + '"></iframe>';
        d.body.appendChild(t.content);
      },
      insertAdjacentElement: function (base, id) {
        var f = d.createElement('iframe');
        f.setAttribute('src', frameUrl(base, id));
        d.body.insertAdjacentElement('beforeend', f);
      },
      rangeInsertNode: function (base, id) {
        var r = d.createRange();
        r.selectNodeContents(d.body);
        var s = d.createElement('script');
        s.src = js(base, id);
        r.insertNode(s);
      },
      // last: the page's body is swapped for one a DOMParser made (its children come along)
      documentBody: function (base, id) {
        var body = new DOMParser().parseFromString('<body><iframe src="' + frameUrl(base, id) + '"></iframe></body>', 'text/html').body;
        while (d.body.firstChild) body.appendChild(d.body.firstChild);
        d.body = body;
      },
    },
    // other documents of the same page
    frames: {
      movedFromFrame: function (base, id) {
        var f = blankFrame();
        var s = f.contentDocument.createElement('script');
        s.src = js(base, id);
        d.head.appendChild(s);
      },
      insideBlankFrame: function (base, id) {
        var f = blankFrame();
        var s = f.contentDocument.createElement('script');
        s.setAttributeNS(null, 'src', js(base, id));
        f.contentDocument.body.appendChild(s);
      },
      frameFromInnerHTML: function (base, id) {
        var box = el('div');
        box.innerHTML = '<iframe></iframe>';
        var doc = box.firstChild.contentDocument;
        var s = doc.createElement('script');
        s.setAttributeNS(null, 'src', js(base, id));
        doc.head.appendChild(s);
      },
      frameLoadEvent: function (base, id) {
        var f = d.createElement('iframe');
        f.onload = function () {
          f.onload = null;
          var s = f.contentDocument.createElement('script');
          s.setAttributeNS(null, 'src', js(base, id));
          f.contentDocument.head.appendChild(s);
        };
        d.body.appendChild(f);
      },
      contentDocumentWrite: function (base, id) {
        var f = blankFrame();
        var doc = f.contentDocument;
        doc.open();
        doc.write(script(js(base, id)));
        doc.close();
      },
      srcdoc: function (base, id) {
        made('iframe', { srcdoc: script(js(base, id)) });
      },
      srcdocDynamic: function (base, id) {
        made('iframe', { srcdoc: '<script src="/holes-inner.js#' + encodeURIComponent(js(base, id)) + '"></' + 'script>' });
      },
      srcdocNavigated: function (base, id) {
        var f = d.createElement('iframe');
        f.srcdoc = '<p>a frame of the page</p>';
        f.onload = function () {
          f.onload = null;
          f.contentWindow.location = frameUrl(base, id);
        };
        d.body.appendChild(f);
      },
      javascriptUrl: function (base, id) {
        made('iframe', { src: "javascript:'" + script(js(base, id)) + "'" });
      },
      dataUrl: function (base, id) {
        made('iframe', { src: 'data:text/html,' + encodeURIComponent(script(js(base, id))) });
      },
      blobUrl: function (base, id) {
        made('iframe', { src: URL.createObjectURL(new Blob([script(js(base, id))], { type: 'text/html' })) });
      },
    },
  };

  // innerHTML and its kin given TrustedHTML, as pages under require-trusted-types-for do
  /** A way that hands `put` a TrustedHTML of a frame and a pixel (skipped without Trusted Types). */
  var withTrusted = function (put) {
    return function (base, id) {
      var html = trusted(loaders(base, id));
      if (!html) return SKIP;
      put(html);
    };
  };
  families.trusted = {
    innerHTML: withTrusted(function (html) {
      el('div').innerHTML = html;
    }),
    shadowRootInnerHTML: withTrusted(function (html) {
      el('div').attachShadow({ mode: 'open' }).innerHTML = html;
    }),
    outerHTML: withTrusted(function (html) {
      el('div').outerHTML = html;
    }),
    insertAdjacentHTML: withTrusted(function (html) {
      el('div').insertAdjacentHTML('beforeend', html);
    }),
    createContextualFragment: withTrusted(function (html) {
      var r = d.createRange();
      r.selectNodeContents(d.body);
      d.body.appendChild(r.createContextualFragment(html));
    }),
  };

  // Ways the guards cannot close (see the todo test in holes-elements.test.mjs)
  families.gaps = {
    locationNavigation: function (base, id) {
      blankFrame().contentWindow.location = frameUrl(base, id);
    },
    windowOpenIntoFrame: function (base, id) {
      var name = 'f' + (base + id).replace(/\W/g, '');
      blankFrame(name);
      window.open(frameUrl(base, id), name);
    },
    closedShadowRoot: function (base, id) {
      var host = el('div');
      if (!host.setHTMLUnsafe) return SKIP;
      host.setHTMLUnsafe(shadowed('closed', frameUrl(base, id)));
    },
  };

  window.holes = {
    violations: violations,
    families: families,
    run: function (family, host, tag, only) {
      var base = 'http://' + host + ':' + location.port;
      var tried = [];
      var skipped = [];
      for (var name in families[family]) {
        if (only && only.indexOf(name) < 0) continue;
        try {
          if (families[family][name](base, tag + '-' + name) === SKIP) skipped.push(name);
          else tried.push(name);
        } catch (e) {
          skipped.push(name + ': ' + e.message);
        }
      }
      return { tried: tried, skipped: skipped };
    },
  };
})();
