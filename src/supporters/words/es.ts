// The public pages' words in Spanish. Typed as the English ones: a key missing here, or one
// English does not have, is a type error.
import type { en } from './en.js';

export const es: typeof en = {
  subscribe: {
    title: 'Suscríbete',
    intro: (organisation: string) =>
      `Recibe por correo las noticias y los llamados a la acción de ${organisation}. ` +
      'Te enviaremos un correo para confirmar tu dirección.',
    email: 'Correo electrónico',
    name: 'Nombre (opcional)',
    language: 'Idioma de los correos',
    topics: 'Temas',
    topicsHint: 'Elige lo que quieres recibir. Si no eliges ninguno, los recibes todos.',
    honeypot: 'Deja este campo vacío',
    subscribe: 'Suscribirme',
    leaveAnyTime: 'Puedes darte de baja cuando quieras con el enlace al final de cada correo.',
    problem: 'Corrige lo siguiente',
    errorPrefix: 'Error',
    errors: {
      email: 'Escribe una dirección de correo como nombre@ejemplo.org.',
      name: 'Tu nombre puede tener como máximo 200 caracteres.',
      language: 'Elige inglés o español.',
      topics: 'Elige entre los temas de la lista.',
    },
    checkEmail: 'Revisa tu correo',
    checkEmailText: [
      'Para terminar, abre el correo que te enviamos y confirma tu suscripción. El enlace funciona durante 7 días.',
      'Si no llega en unos minutos, busca en la carpeta de correo no deseado. ' +
        'Si ya tienes una suscripción, no tienes que hacer nada más.',
    ],
    tooMany: 'Demasiados intentos',
    tooManyText: 'Espera unos minutos y vuelve a intentarlo.',
    confirm: 'Confirma tu suscripción',
    confirmText: (organisation: string) => `Confirma que quieres recibir los correos de ${organisation} en`,
    confirmButton: 'Confirmar mi suscripción',
    confirmed: 'Tu suscripción está confirmada',
    confirmedText:
      'Gracias. Recibirás nuestros próximos correos en esta dirección. Cada correo tiene un enlace para darte de baja.',
    expired: 'Este enlace ha caducado',
    expiredText: 'Los enlaces de confirmación funcionan durante 7 días. Podemos enviarte uno nuevo.',
    resend: 'Envíame un enlace nuevo',
    resent: 'Te enviamos un enlace nuevo',
    resentText:
      'Abre el correo y confirma tu suscripción en los próximos 7 días. ' +
      'Si no llega en unos minutos, busca en la carpeta de correo no deseado.',
    invalid: 'Este enlace no funciona',
    invalidText: 'Puede que el enlace se haya cortado al copiarlo. Vuelve a abrir el enlace del correo.',
    stale: 'Este enlace ya no es válido',
    staleText: 'Puedes volver a suscribirte cuando quieras:',
  },
  preferences: {
    title: 'Tus preferencias',
    intro: (organisation: string) => `Elige lo que recibes de ${organisation} en`,
    topics: 'Temas',
    language: 'Idioma de tus correos',
    pause: 'Tómate un descanso',
    noPause: 'Seguir recibiendo',
    pauseFor: (days: number) => `Pausar ${days} días`,
    pausedUntil: (date: string) => `En pausa hasta el ${date}`,
    resume: 'Reanudar ahora',
    leave: 'Darme de baja de todo',
    save: 'Guardar mis opciones',
    saveAndReturn: 'Guardar y volver a suscribirme',
    saved: 'Tus opciones están guardadas.',
    unsubscribed: 'Te has dado de baja. Si guardas tus opciones, vuelves a suscribirte.',
    left:
      'Te has dado de baja. No recibirás más correos nuestros. ' +
      'Para volver a suscribirte, elige abajo lo que quieres recibir y guarda.',
    stopped: 'Ya no enviamos correo a esta dirección.',
    invalid: 'Este enlace no funciona',
    invalidText: 'Puede que el enlace se haya cortado al copiarlo. Vuelve a usar el enlace de uno de nuestros correos.',
  },
  unsubscribe: {
    title: 'Darte de baja',
    ask: (organisation: string) => `Dejar de recibir todos los correos de ${organisation} en`,
    askMore: 'Ya no recibirás ninguno de nuestros boletines, sea cual sea su tema.',
    button: 'Darme de baja',
    instead: '¿Prefieres no irte del todo?',
    pauseInstead: 'Pausa nuestros correos durante 30, 60 o 90 días',
    topicsInstead: 'Elige los temas que recibes',
    done: 'Te has dado de baja',
    doneText: (organisation: string) => `No recibirás más correos de ${organisation} en`,
    already: 'Ya te diste de baja',
    alreadyText: (organisation: string) => `${organisation} ya no envía correos a`,
    changedMind: '¿Cambiaste de opinión?',
    resubscribe: 'Vuelve a suscribirte',
    fromPreferences: 'desde tu página de preferencias.',
    stopped: 'Ya no enviamos correos a esta dirección',
    invalid: 'Este enlace no funciona',
    invalidText:
      'Puede que el enlace se haya cortado al copiarlo. Vuelve a usar el enlace para darte de baja del correo.',
  },
  archive: {
    title: 'Archivo de boletines',
    intro: 'Todos los boletines que hemos enviado, del más reciente al más antiguo.',
    empty: 'Todavía no hemos enviado ningún boletín.',
    newer: 'Boletines más recientes',
    older: 'Boletines anteriores',
    pageOf: (page: number, pages: number) => `Página ${page} de ${pages}`,
    allBulletins: 'Todos los boletines',
    notFound: 'No encontramos este boletín',
    notFoundText:
      'No hay ningún boletín en esta dirección. Puede que aún no se haya enviado, ' +
      'o que el enlace se haya cortado al copiarlo.',
  },
};
