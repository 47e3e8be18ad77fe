// The words readers see outside the bulletin, in Spanish, addressing the reader as usted, as
// most immigrant-rights organisations do in print. Typed as the English ones: a key missing here,
// or one English does not have, is a type error; a test checks the {slots}.
import type { Words } from './catalogue.js';

export const es: Words = {
  footer: {
    viewInBrowser: 'Ver este correo en el navegador',
    preferences: 'Gestione sus preferencias',
    unsubscribe: 'Cancelar la suscripción',
    // The topic is a name ("Boletín semanal"): a noun before it keeps the sentence grammatical.
    whyTopic: 'Usted recibe este correo porque se suscribió a la lista «{topic}» de {organisation}.',
    whyGeneral: 'Usted recibe este correo porque se suscribió a las noticias de {organisation}.',
    subscribeCall: 'Reciba por correo los próximos boletines de {organisation}.',
    subscribe: 'Suscribirse',
  },
  bulletin: {
    contact: 'Contacto',
    progress: '{current} de {target} {unit}',
    goal: 'Meta: {target} {unit}',
  },
  confirmation: {
    subject: 'Confirme su suscripción',
    preview: 'Un clic para empezar a recibir los boletines de {organisation}.',
    asked:
      'Alguien, esperamos que usted, pidió recibir los boletines de {organisation} en esta dirección. ' +
      'Para empezar a recibirlos, confirme su suscripción:',
    button: 'Confirmar mi suscripción',
    expiry: 'El enlace es válido durante 7 días.',
    notYou: 'Si usted no lo pidió, ignore este correo: no volveremos a escribirle.',
    copy: 'Si el botón no funciona, copie este enlace en su navegador:',
  },
  subscribe: {
    title: 'Suscribirse',
    intro:
      'Reciba por correo las noticias y los llamados a la acción de {organisation}. ' +
      'Le enviaremos un correo para confirmar su dirección.',
    email: 'Correo electrónico',
    name: 'Nombre (opcional)',
    language: 'Idioma de los correos',
    topics: 'Temas',
    topicsHint: 'Elija lo que desea recibir. Si no elige ninguno, recibirá todos.',
    honeypot: 'Deje este campo vacío',
    subscribe: 'Suscribirme',
    leaveAnyTime: 'Puede cancelar la suscripción cuando quiera con el enlace que aparece al final de cada correo.',
    problem: 'Corrija lo siguiente',
    errorPrefix: 'Error',
    emailError: 'Escriba una dirección de correo como nombre@ejemplo.org.',
    nameError: 'Su nombre puede tener como máximo 200 caracteres.',
    languageError: 'Elija uno de los idiomas de la lista.',
    topicsError: 'Elija entre los temas de la lista.',
    checkEmail: 'Revise su correo',
    checkEmailText:
      'Para terminar, abra el correo que le enviamos y confirme su suscripción. El enlace es válido durante 7 días.',
    checkEmailMore:
      'Si no le llega en unos minutos, busque en la carpeta de correo no deseado. ' +
      'Si ya tiene una suscripción, no tiene que hacer nada más.',
    tooMany: 'Demasiados intentos',
    tooManyText: 'Espere unos minutos y vuelva a intentarlo.',
    confirm: 'Confirme su suscripción',
    confirmText: 'Confirme que desea recibir los correos de {organisation} en',
    confirmButton: 'Confirmar mi suscripción',
    confirmed: 'Su suscripción está confirmada',
    confirmedText:
      'Gracias. Recibirá nuestros próximos correos en esta dirección. ' +
      'Cada correo tiene un enlace para cancelar la suscripción.',
    expired: 'Este enlace ha vencido',
    expiredText: 'Los enlaces de confirmación son válidos durante 7 días. Podemos enviarle uno nuevo.',
    resend: 'Enviarme un enlace nuevo',
    resent: 'Le enviamos un enlace nuevo',
    resentText:
      'Abra el correo y confirme su suscripción en los próximos 7 días. ' +
      'Si no le llega en unos minutos, busque en la carpeta de correo no deseado.',
    invalid: 'Este enlace no funciona',
    invalidText: 'Es posible que el enlace se haya cortado al copiarlo. Vuelva a abrir el enlace del correo.',
    stale: 'Este enlace ya no es válido',
    staleText: 'Puede volver a suscribirse cuando quiera:',
  },
  preferences: {
    title: 'Sus preferencias',
    intro: 'Elija lo que recibe de {organisation} en',
    topics: 'Temas',
    language: 'Idioma de sus correos',
    pause: 'Hacer una pausa',
    noPause: 'Seguir recibiendo',
    pauseFor: 'Pausar durante {days} días',
    pausedUntil: 'En pausa hasta el {date}',
    resume: 'Reanudar ahora',
    leave: 'Cancelar la suscripción a todo',
    save: 'Guardar mis opciones',
    saveAndReturn: 'Guardar y volver a suscribirme',
    saved: 'Sus opciones se guardaron.',
    unsubscribed: 'Usted canceló su suscripción. Si guarda sus opciones, volverá a suscribirse.',
    left:
      'Usted canceló su suscripción. No recibirá más correos nuestros. ' +
      'Para volver a suscribirse, elija abajo lo que desea recibir y guarde.',
    stopped: 'Ya no enviamos correos a esta dirección.',
    invalid: 'Este enlace no funciona',
    invalidText:
      'Es posible que el enlace se haya cortado al copiarlo. Vuelva a usar el enlace de uno de nuestros correos.',
  },
  unsubscribe: {
    title: 'Cancelar la suscripción',
    ask: 'Dejar de recibir todos los correos de {organisation} en',
    askMore: 'Ya no recibirá ninguno de nuestros boletines, sea cual sea su tema.',
    button: 'Cancelar mi suscripción',
    instead: '¿Prefiere no irse del todo?',
    pauseInstead: 'Pausar nuestros correos durante 30, 60 o 90 días',
    topicsInstead: 'Elegir los temas que recibe',
    done: 'Su suscripción se canceló',
    doneText: 'No recibirá más correos de {organisation} en',
    already: 'Usted ya canceló su suscripción',
    alreadyText: '{organisation} ya no envía correos a',
    changedMind: '¿Cambió de opinión?',
    resubscribe: 'Vuelva a suscribirse',
    fromPreferences: 'desde su página de preferencias.',
    stopped: 'Ya no enviamos correos a esta dirección',
    invalid: 'Este enlace no funciona',
    invalidText:
      'Es posible que el enlace se haya cortado al copiarlo. ' +
      'Vuelva a usar el enlace para cancelar la suscripción que aparece en el correo.',
  },
  archive: {
    title: 'Archivo de boletines',
    intro: 'Todos los boletines que hemos enviado, del más reciente al más antiguo.',
    empty: 'Todavía no hemos enviado ningún boletín.',
    newer: 'Boletines más recientes',
    older: 'Boletines anteriores',
    pageOf: 'Página {page} de {pages}',
    allBulletins: 'Todos los boletines',
    notFound: 'No encontramos este boletín',
    notFoundText:
      'No hay ningún boletín en esta dirección. Es posible que aún no se haya enviado ' +
      'o que el enlace se haya cortado al copiarlo.',
  },
};
