"""Short texts the demo records carry, in the organisation's language (English otherwise).

These are record contents, not interface strings: they are written in the language of the
organisation's country and are not translated with the user's interface language.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Texts:
    case_notes: tuple[str, ...]
    """Placeholders: {child} and {caregiver} (first names, or a word when names are not kept)."""
    quotes: tuple[str, ...]
    place_quotes: tuple[str, ...]
    """Quotes naming a place ({city}): a disclosure check must catch them."""
    name_quotes: tuple[str, ...]
    """Quotes with the child's own name ({name}): a disclosure check must catch them."""
    close_reasons: tuple[str, ...]
    visiting_facilities: tuple[str, ...]
    activity_notes: tuple[str, ...]
    child_word: str
    caregiver_word: str


TEXTS: dict[str, Texts] = {
    "en": Texts(
        case_notes=(
            "Home visit. {caregiver} says {child} sleeps badly since the arrest.",
            "Phone call with {caregiver}: visit booked for next week, {child} is looking forward.",
            "Met the school's teacher with {caregiver}; {child}'s teacher will keep us informed.",
            "{child} was quiet during the group but drew a picture for dad.",
            "{caregiver} asked for help with travel costs to the prison; referred to the fund.",
            "Prepared {child} for the first visit: explained the security check and the room.",
            "{caregiver} reports that {child} is doing better at school.",
            "Letter from the prison: visiting hours change next month. Told {caregiver}.",
            "{child} asked again why dad cannot come home. Talked about it together.",
            "Follow-up call, no new concerns. Next contact in a month.",
        ),
        quotes=(
            "I liked playing football with my dad.",
            "It was the best day of the year!",
            "I want to come again next time.",
            "I was sad when we had to leave.",
            "My mum and I won the game together.",
            "The room was nice and there were toys.",
        ),
        place_quotes=("I liked the big garden in {city}.", "We took the train to {city}."),
        name_quotes=("My name is {name} and I scored a goal!",),
        close_reasons=(
            "Relative released, support no longer needed",
            "Family moved away",
            "Support goals reached",
            "Family ended contact",
            "Referred to another service",
            "Children now adults",
        ),
        visiting_facilities=(
            "Child-friendly visiting room with toys and books.",
            "Outdoor play area open in summer.",
            "Family visits on Saturdays; booking by phone.",
            "Small visiting room, no play area.",
        ),
        activity_notes=(
            "Good weather, the game took place outside.",
            "Two families cancelled at short notice.",
            "Security check took longer than usual.",
            "Children made cards for their parents.",
        ),
        child_word="the child",
        caregiver_word="the carer",
    ),
    "it": Texts(
        case_notes=(
            "Visita a domicilio. {caregiver} dice che {child} dorme male dall'arresto.",
            "Telefonata con {caregiver}: colloquio prenotato per la prossima settimana.",
            "Incontro a scuola con {caregiver}; l'insegnante di {child} ci terrà informati.",
            "{child} è stato silenzioso durante il gruppo ma ha fatto un disegno per papà.",
            "{caregiver} chiede aiuto per le spese di viaggio verso il carcere.",
            "Preparato {child} al primo colloquio: spiegati i controlli e la sala.",
            "{caregiver} riferisce che {child} va meglio a scuola.",
            "Lettera dal carcere: cambiano gli orari dei colloqui. Avvisata {caregiver}.",
            "{child} ha chiesto di nuovo perché papà non torna a casa. Ne abbiamo parlato.",
            "Telefonata di controllo, nessuna novità. Prossimo contatto tra un mese.",
        ),
        quotes=(
            "Mi è piaciuto giocare a calcio con il mio papà.",
            "È stata la giornata più bella dell'anno!",
            "Voglio tornare la prossima volta.",
            "Ero triste quando siamo dovuti andare via.",
            "Io e la mamma abbiamo vinto la partita.",
            "La sala era bella e c'erano i giochi.",
        ),
        place_quotes=("Mi è piaciuto il giardino grande a {city}.", "Siamo andati a {city}."),
        name_quotes=("Mi chiamo {name} e ho fatto gol!",),
        close_reasons=(
            "Familiare scarcerato, supporto non più necessario",
            "La famiglia si è trasferita",
            "Obiettivi raggiunti",
            "La famiglia ha interrotto i contatti",
            "Inviata ad altro servizio",
            "Figli maggiorenni",
        ),
        visiting_facilities=(
            "Spazio giallo per bambini con giochi e libri.",
            "Area verde aperta d'estate.",
            "Colloqui familiari il sabato; prenotazione telefonica.",
            "Sala colloqui piccola, senza area giochi.",
        ),
        activity_notes=(
            "Bel tempo, la partita si è svolta all'aperto.",
            "Due famiglie hanno disdetto all'ultimo momento.",
            "I controlli all'ingresso sono durati più del solito.",
            "I bambini hanno preparato dei biglietti per i genitori.",
        ),
        child_word="il bambino",
        caregiver_word="la persona di riferimento",
    ),
    "fr": Texts(
        case_notes=(
            "Visite à domicile. {caregiver} dit que {child} dort mal depuis l'arrestation.",
            "Appel avec {caregiver} : parloir réservé pour la semaine prochaine.",
            "Rencontre à l'école avec {caregiver} ; l'enseignante de {child} nous informera.",
            "{child} était silencieux pendant le groupe mais a fait un dessin pour son père.",
            "{caregiver} demande une aide pour les frais de transport jusqu'à la prison.",
            "Préparation de {child} au premier parloir : contrôle de sécurité et salle expliqués.",
            "{caregiver} signale que {child} va mieux à l'école.",
            "Courrier de la prison : les horaires de parloir changent. {caregiver} prévenue.",
            "{child} a encore demandé pourquoi papa ne rentre pas. Nous en avons parlé.",
            "Appel de suivi, rien de nouveau. Prochain contact dans un mois.",
        ),
        quotes=(
            "J'ai aimé jouer au foot avec mon papa.",
            "C'était la plus belle journée de l'année !",
            "Je veux revenir la prochaine fois.",
            "J'étais triste quand il a fallu partir.",
            "Maman et moi, on a gagné le match.",
            "La salle était jolie et il y avait des jeux.",
        ),
        place_quotes=("J'ai aimé le grand jardin à {city}.", "On a pris le train pour {city}."),
        name_quotes=("Je m'appelle {name} et j'ai marqué un but !",),
        close_reasons=(
            "Proche libéré, accompagnement terminé",
            "Famille partie de la région",
            "Objectifs atteints",
            "La famille a mis fin au suivi",
            "Orientée vers un autre service",
            "Enfants devenus majeurs",
        ),
        visiting_facilities=(
            "Espace enfants au parloir avec jeux et livres.",
            "Aire de jeux extérieure ouverte l'été.",
            "Parloirs familles le samedi ; réservation par téléphone.",
            "Petite salle de parloir, sans espace enfants.",
        ),
        activity_notes=(
            "Beau temps, le match a eu lieu dehors.",
            "Deux familles ont annulé au dernier moment.",
            "Le contrôle de sécurité a été plus long que d'habitude.",
            "Les enfants ont fait des cartes pour leurs parents.",
        ),
        child_word="l'enfant",
        caregiver_word="le parent",
    ),
    "de": Texts(
        case_notes=(
            "Hausbesuch. {caregiver} sagt, {child} schläft seit der Verhaftung schlecht.",
            "Telefonat mit {caregiver}: Besuch für nächste Woche gebucht.",
            "Gespräch in der Schule mit {caregiver}; die Lehrerin von {child} meldet sich.",
            "{child} war in der Gruppe still, hat aber ein Bild für Papa gemalt.",
            "{caregiver} bittet um Hilfe bei den Fahrtkosten zur JVA.",
            "{child} auf den ersten Besuch vorbereitet: Kontrolle und Besuchsraum erklärt.",
            "{caregiver} berichtet, dass es {child} in der Schule besser geht.",
            "Brief der JVA: Besuchszeiten ändern sich nächsten Monat. {caregiver} informiert.",
            "{child} hat wieder gefragt, warum Papa nicht nach Hause kommt. Darüber gesprochen.",
            "Nachfassanruf, nichts Neues. Nächster Kontakt in einem Monat.",
        ),
        quotes=(
            "Fußball spielen mit Papa war toll.",
            "Das war der schönste Tag des Jahres!",
            "Ich will nächstes Mal wieder kommen.",
            "Ich war traurig, als wir gehen mussten.",
            "Mama und ich haben das Spiel gewonnen.",
            "Der Raum war schön und es gab Spielsachen.",
        ),
        place_quotes=("Der große Garten in {city} war schön.", "Wir sind mit dem Zug nach {city}."),
        name_quotes=("Ich heiße {name} und habe ein Tor geschossen!",),
        close_reasons=(
            "Angehöriger entlassen, keine Unterstützung mehr nötig",
            "Familie weggezogen",
            "Ziele erreicht",
            "Familie hat den Kontakt beendet",
            "An andere Stelle vermittelt",
            "Kinder volljährig",
        ),
        visiting_facilities=(
            "Kinderfreundlicher Besuchsraum mit Spielsachen und Büchern.",
            "Spielplatz im Freien, im Sommer geöffnet.",
            "Familienbesuche samstags; Anmeldung per Telefon.",
            "Kleiner Besuchsraum ohne Spielecke.",
        ),
        activity_notes=(
            "Gutes Wetter, das Spiel fand draußen statt.",
            "Zwei Familien haben kurzfristig abgesagt.",
            "Die Kontrolle dauerte länger als sonst.",
            "Die Kinder haben Karten für ihre Eltern gebastelt.",
        ),
        child_word="das Kind",
        caregiver_word="die Bezugsperson",
    ),
    "es": Texts(
        case_notes=(
            "Visita a domicilio. {caregiver} dice que {child} duerme mal desde la detención.",
            "Llamada con {caregiver}: visita reservada para la próxima semana.",
            "Reunión en el colegio con {caregiver}; la maestra de {child} nos mantendrá al día.",
            "{child} estuvo callado en el grupo pero hizo un dibujo para papá.",
            "{caregiver} pide ayuda con los gastos de viaje a la prisión.",
            "Preparación de {child} para la primera visita: control y sala explicados.",
            "{caregiver} cuenta que {child} va mejor en el colegio.",
            "Carta del centro: cambian los horarios de visita. {caregiver} avisada.",
            "{child} volvió a preguntar por qué papá no vuelve a casa. Lo hablamos.",
            "Llamada de seguimiento, nada nuevo. Próximo contacto en un mes.",
        ),
        quotes=(
            "Me gustó jugar al fútbol con mi papá.",
            "¡Fue el mejor día del año!",
            "Quiero volver la próxima vez.",
            "Estaba triste cuando nos tuvimos que ir.",
            "Mamá y yo ganamos el partido.",
            "La sala era bonita y había juguetes.",
        ),
        place_quotes=("Me gustó el jardín grande de {city}.", "Fuimos en tren a {city}."),
        name_quotes=("¡Me llamo {name} y metí un gol!",),
        close_reasons=(
            "Familiar en libertad, ya no necesita apoyo",
            "La familia se mudó",
            "Objetivos alcanzados",
            "La familia dejó el contacto",
            "Derivada a otro servicio",
            "Hijos mayores de edad",
        ),
        visiting_facilities=(
            "Sala de visitas infantil con juguetes y libros.",
            "Zona de juegos al aire libre en verano.",
            "Visitas familiares los sábados; cita por teléfono.",
            "Sala de visitas pequeña, sin zona infantil.",
        ),
        activity_notes=(
            "Buen tiempo, el partido se jugó fuera.",
            "Dos familias cancelaron a última hora.",
            "El control de seguridad tardó más de lo normal.",
            "Los niños hicieron tarjetas para sus padres.",
        ),
        child_word="el niño",
        caregiver_word="la persona cuidadora",
    ),
}


def texts_for(language: str) -> Texts:
    return TEXTS.get(language, TEXTS["en"])
