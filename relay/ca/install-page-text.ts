// The words of the relay's certificate install page (relay/ca/install-page.ts), in English and Spanish.
// The relay serves this page before the app can run (the phone does not trust the hub yet), so its
// words live here rather than in the app's i18n layer; the same plain words are used.

export type InstallLang = 'en' | 'es';

export const INSTALL_TEXT = {
  en: {
    title: 'Trust this community hub on your phone',
    intro: 'Do this once. Then the app opens safely, works without signal and can go on your home screen.',
    download: 'Download the certificate',
    checkTitle: 'Check it is the right one',
    checkText: 'Ask an organiser to read out the words they were given. They must be exactly these:',
    qr: 'Others can scan this to open this page:',
    androidTitle: 'Android (Chrome)',
    android1: 'Tap “Download the certificate”.',
    android2: 'Open Settings → Security (or “Security and privacy” → “More security settings”) → “Encryption and credentials” → “Install a certificate” → “CA certificate”.',
    android3: 'Tap “Install anyway” and choose the file you downloaded. The phone may ask you to set a screen lock first.',
    androidLimits: 'Only browsers use it: other apps ignore certificates you add. Android then shows “Network may be monitored”: that message is about this certificate. A phone managed by an employer or a school may not allow it.',
    iosTitle: 'iPhone and iPad (Safari)',
    ios1: 'Open this page in Safari, tap “Download the certificate”, then “Allow”.',
    ios2: 'Open Settings → “Profile downloaded” (or General → “VPN and device management”) → Install.',
    ios3: 'Then Settings → General → About → “Certificate trust settings”: switch this community’s certificate on. Without this step it does nothing.',
    iosLimits: 'Every browser on an iPhone uses this setting. A managed iPhone may not allow it.',
    desktopTitle: 'Computer',
    desktopChrome: 'Chrome or Chromium: Settings → Privacy and security → Security → Manage certificates → Authorities → Import, and tick “Trust this certificate for identifying websites”.',
    desktopFirefox: 'Firefox has its own list: Settings → Privacy and security → Certificates → View certificates → Authorities → Import, and tick “Trust this CA to identify websites”.',
    limitTitle: 'What it allows',
    limitText: 'This certificate can only vouch for {names}. Whoever holds the community’s key could pretend to be this hub, but browsers that check this limit (Chrome, Firefox, Safari) do not let it pretend to be your bank or any other website.',
    limitNone: 'This certificate has no limit: whoever holds its key could pretend to be any website to your phone. Install it only if you trust the organisers completely.',
    removeTitle: 'Removing it later',
    removeText: 'Android: Settings → Security → “Encryption and credentials” → “User credentials”, or “Trusted credentials” → User. iPhone: Settings → General → “VPN and device management” → the profile → Remove.',
    openApp: 'Done? Open the app:',
    noCa: 'This community hub has no certificate of its own to install. If its address starts with https:// and opens without a warning, you need nothing. If not, ask an organiser.',
    details: 'Details',
    sha256: 'SHA-256 fingerprint (your phone shows it in the certificate’s details)',
    validTo: 'Valid until',
    otherLanguage: 'Español',
  },
  es: {
    title: 'Confía en este centro de la comunidad desde tu teléfono',
    intro: 'Hazlo una vez. Después la app se abre de forma segura, funciona sin señal y puedes ponerla en la pantalla de inicio.',
    download: 'Descargar el certificado',
    checkTitle: 'Comprueba que es el correcto',
    checkText: 'Pide a una persona organizadora que lea en voz alta las palabras que le dieron. Tienen que ser exactamente estas:',
    qr: 'Otras personas pueden escanear esto para abrir esta página:',
    androidTitle: 'Android (Chrome)',
    android1: 'Toca «Descargar el certificado».',
    android2: 'Abre Ajustes → Seguridad (o «Seguridad y privacidad» → «Más ajustes de seguridad») → «Cifrado y credenciales» → «Instalar un certificado» → «Certificado de CA».',
    android3: 'Toca «Instalar de todos modos» y elige el archivo descargado. Puede que el teléfono te pida antes poner un bloqueo de pantalla.',
    androidLimits: 'Solo lo usan los navegadores: las demás apps no hacen caso de los certificados que añades. Android mostrará «Es posible que la red esté supervisada»: ese aviso se refiere a este certificado. Un teléfono gestionado por una empresa o un centro educativo puede no permitirlo.',
    iosTitle: 'iPhone y iPad (Safari)',
    ios1: 'Abre esta página en Safari, toca «Descargar el certificado» y luego «Permitir».',
    ios2: 'Abre Ajustes → «Perfil descargado» (o General → «VPN y gestión de dispositivos») → Instalar.',
    ios3: 'Después, Ajustes → General → Información → «Ajustes de confianza de certificados»: activa el certificado de esta comunidad. Sin este paso no sirve de nada.',
    iosLimits: 'Todos los navegadores del iPhone usan este ajuste. Un iPhone gestionado puede no permitirlo.',
    desktopTitle: 'Ordenador',
    desktopChrome: 'Chrome o Chromium: Configuración → Privacidad y seguridad → Seguridad → Gestionar certificados → Entidades emisoras → Importar, y marca «Confiar en este certificado para identificar sitios web».',
    desktopFirefox: 'Firefox tiene su propia lista: Ajustes → Privacidad y seguridad → Certificados → Ver certificados → Autoridades → Importar, y marca «Confiar en esta CA para identificar sitios web».',
    limitTitle: 'Qué permite',
    limitText: 'Este certificado solo sirve para {names}. Quien tenga la clave de la comunidad podría hacerse pasar por este centro, pero los navegadores que comprueban este límite (Chrome, Firefox, Safari) no le dejan hacerse pasar por tu banco ni por ninguna otra web.',
    limitNone: 'Este certificado no tiene límite: quien tenga su clave podría hacerse pasar por cualquier web en tu teléfono. Instálalo solo si confías plenamente en las personas organizadoras.',
    removeTitle: 'Quitarlo más adelante',
    removeText: 'Android: Ajustes → Seguridad → «Cifrado y credenciales» → «Credenciales de usuario», o «Credenciales de confianza» → Usuario. iPhone: Ajustes → General → «VPN y gestión de dispositivos» → el perfil → Eliminar.',
    openApp: '¿Listo? Abre la app:',
    noCa: 'Este centro de la comunidad no tiene un certificado propio que instalar. Si su dirección empieza por https:// y se abre sin avisos, no hace falta nada. Si no, pregunta a una persona organizadora.',
    details: 'Detalles',
    sha256: 'Huella SHA-256 (tu teléfono la muestra en los detalles del certificado)',
    validTo: 'Válido hasta',
    otherLanguage: 'English',
  },
} as const satisfies Record<InstallLang, Record<string, string>>;

/** `?lang=` when given, else the first of English or Spanish the browser asks for (by q-value), else English. */
export function installLang(query: string | null, acceptLanguage: string | undefined): InstallLang {
  if (query === 'es' || query === 'en') return query;
  const ranked = (acceptLanguage ?? '')
    .slice(0, 500)
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = Number(/^\s*q=([0-9.]+)\s*$/.exec(params.find((p) => p.trim().startsWith('q=')) ?? '')?.[1] ?? 1);
      return { tag, q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((l) => l.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    if (tag === 'es' || tag.startsWith('es-')) return 'es';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}
