/*
 * messages-fr.c: the French catalogue. Plain words for a reader who may be frightened or
 * distressed, addressed as « vous ». The category definitions follow the English catalogue;
 * « exploitation et atteintes sexuelles » is the established French term for sexual
 * exploitation and abuse (SEA) in UN and NATO texts.
 */
#include "messages.h"

const char *const messages_fr[MESSAGE_COUNT] = {
    [M_LANG_CODE] = "fr",
    [M_OTHER_LANG_CODE] = "en",
    [M_OTHER_LANG_NAME] = "English",
    [M_SITE_TITLE] = "Signalement confidentiel",
    [M_SKIP_LINK] = "Aller directement au contenu principal",
    [M_QUICK_EXIT] = "Quitter rapidement ce site",
    [M_NAV_LABEL] = "Menu principal",
    [M_NAV_REPORT] = "Faire un signalement",
    [M_NAV_STATUS] = "Suivre un signalement",
    [M_PRIVACY_NOTE] = "Ce site n’utilise ni cookies, ni JavaScript, ni outil de suivi. Il "
                       "n’enregistre ni votre adresse IP, ni votre navigateur, ni l’heure à "
                       "laquelle vous écrivez. Tout ce que vous envoyez est chiffré avant d’être "
                       "conservé, et seules les personnes chargées des signalements peuvent le "
                       "lire.",
    [M_FORM_TITLE] = "Signaler un harcèlement, une exploitation ou des abus",
    [M_FORM_INTRO] = "Vous n’avez pas à donner votre nom. Racontez ce qui s’est passé avec vos "
                     "propres mots. Vous pouvez vous arrêter à tout moment, et compléter votre "
                     "signalement plus tard grâce au reçu qui vous sera remis à la fin.",
    [M_REQUIRED] = "(obligatoire)",
    [M_OPTIONAL] = "(facultatif)",
    [M_CATEGORY_LEGEND] = "Que souhaitez-vous signaler ?",
    [M_CAT_HARASSMENT] = "Harcèlement",
    [M_CAT_HARASSMENT_HINT] = "Des paroles ou des comportements non désirés qui blessent, "
                              "humilient ou intimident une personne : menaces, insultes ou "
                              "contacts répétés non souhaités, par exemple.",
    [M_CAT_SEXUAL_HARASSMENT] = "Harcèlement sexuel",
    [M_CAT_SEXUAL_HARASSMENT_HINT] = "Un comportement non désiré à caractère sexuel : remarques, "
                                     "plaisanteries, messages, images, contacts physiques ou "
                                     "demandes de faveurs sexuelles.",
    [M_CAT_BULLYING] = "Harcèlement moral",
    [M_CAT_BULLYING_HINT] = "Des comportements répétés qui visent à blesser, à isoler ou à "
                            "rabaisser une personne, par exemple au travail.",
    [M_CAT_DISCRIMINATION] = "Discrimination",
    [M_CAT_DISCRIMINATION_HINT] = "Subir un traitement moins favorable à cause de qui vous êtes : "
                                  "votre sexe, votre genre, vos origines, votre religion, un "
                                  "handicap, votre âge ou votre orientation sexuelle, par "
                                  "exemple.",
    [M_CAT_SEA] = "Exploitation et atteintes sexuelles",
    [M_CAT_SEA_HINT] = "Quelqu’un qui se sert de son pouvoir, de sa position ou du besoin d’une "
                       "autre personne (nourriture, argent, aide, papiers, emploi) pour obtenir "
                       "des relations ou des actes sexuels ; ou tout acte sexuel imposé à une "
                       "personne, ou obtenu dans une situation d’inégalité ou de contrainte. "
                       "Toute activité sexuelle avec un enfant est une atteinte sexuelle.",
    [M_CAT_OTHER] = "Autre chose",
    [M_CAT_OTHER_HINT] = "Un comportement qui vous inquiète et qui ne correspond à aucun des "
                         "choix ci-dessus.",
    [M_DETAILS_LEGEND] = "Ce qui s’est passé",
    [M_DESCRIPTION_LABEL] = "Décrivez ce qui s’est passé",
    [M_DESCRIPTION_HINT] = "Écrivez autant ou aussi peu que vous le souhaitez. Ce dont vous vous "
                           "souvenez suffit.",
    [M_WHEN_LABEL] = "Quand cela s’est-il passé ?",
    [M_WHEN_HINT] = "Une date, une période, ou « cela continue encore ».",
    [M_WHERE_LABEL] = "Où cela s’est-il passé ?",
    [M_WHERE_HINT] = "Un lieu, une mission, un bâtiment ou un service en ligne.",
    [M_PEOPLE_LABEL] = "Qui est en cause ?",
    [M_PEOPLE_HINT] = "Le nom, la fonction ou une description des personnes qui ont fait cela.",
    [M_WITNESSES_LABEL] = "Quelqu’un a-t-il vu ou entendu quelque chose ?",
    [M_WITNESSES_HINT] = "Le nom ou une description des témoins, s’il y en a eu.",
    [M_ABOUT_LEGEND] = "À propos de vous (facultatif)",
    [M_ABOUT_HINT] = "Ces deux réponses servent uniquement à compter les signalements dans des "
                     "statistiques annuelles anonymes, jamais à vous identifier. Vous pouvez les "
                     "laisser telles quelles.",
    [M_SEX_LABEL] = "Sexe",
    [M_SEX_NOT_GIVEN] = "Je préfère ne pas répondre",
    [M_SEX_FEMALE] = "Femme",
    [M_SEX_MALE] = "Homme",
    [M_SEX_OTHER] = "Autre réponse",
    [M_AGE_LABEL] = "Âge",
    [M_AGE_NOT_GIVEN] = "Je préfère ne pas répondre",
    [M_AGE_UNDER_25] = "Moins de 25 ans",
    [M_AGE_25_34] = "25 à 34 ans",
    [M_AGE_35_44] = "35 à 44 ans",
    [M_AGE_45_54] = "45 à 54 ans",
    [M_AGE_55_PLUS] = "55 ans ou plus",
    [M_CONTACT_LEGEND] = "Vous contacter",
    [M_CONTACT_LABEL] = "Comment les personnes chargées des signalements peuvent-elles vous "
                        "contacter ?",
    [M_CONTACT_WARNING] = "<strong>Attention :</strong> si vous indiquez une adresse e-mail, un "
                          "numéro de téléphone ou votre nom, votre signalement ne sera plus "
                          "anonyme pour les personnes qui le traitent. Vous pouvez laisser ce "
                          "champ vide et lire leurs réponses grâce à votre reçu.",
    [M_ATTACH_LABEL] = "Ajouter des fichiers",
    [M_ATTACH_HINT] = "Photos, captures d’écran, enregistrements ou documents : jusqu’à "
                      "{1} fichiers de {2} Mo au maximum chacun. Un fichier peut contenir des "
                      "informations cachées, comme le lieu où une photo a été prise.",
    [M_EXCLUDE_LEGEND] = "Écarter une personne chargée des signalements",
    [M_EXCLUDE_HINT] = "Si l’une de ces personnes est impliquée, ou si vous ne voulez pas qu’elle "
                       "voie votre signalement, cochez son nom. Elle ne pourra lire ni ce "
                       "signalement ni ce que vous ajouterez plus tard. Au moins une personne "
                       "doit rester.",
    [M_SUBMIT_REPORT] = "Envoyer le signalement",
    [M_ERROR_SUMMARY_TITLE] = "Il y a un problème",
    [M_ERROR_PREFIX] = "Erreur :",
    [M_ERR_CSRF] = "Ce formulaire est trop ancien ou ne provient pas de ce site, donc rien n’a "
                   "été envoyé. Votre texte est conservé ci-dessous : vérifiez-le, puis "
                   "envoyez-le de nouveau.",
    [M_ERR_CATEGORY] = "Choisissez ce que vous souhaitez signaler.",
    [M_ERR_DESCRIPTION_EMPTY] = "Décrivez ce qui s’est passé.",
    [M_ERR_DESCRIPTION_LONG] = "La description est trop longue : raccourcissez-la à {1} Ko au "
                               "maximum (environ 10 000 mots), et envoyez la suite plus tard "
                               "grâce à votre reçu.",
    [M_ERR_FIELD_LONG] = "Cette réponse est trop longue : raccourcissez-la à {1} Ko au maximum.",
    [M_ERR_UTF8] = "Ce texte contient des caractères qui n’ont pas pu être lus : saisissez-les de "
                   "nouveau.",
    [M_ERR_CHOICE] = "Choisissez l’une des réponses proposées.",
    [M_ERR_EXCLUDE_ALL] = "Vous ne pouvez pas écarter toutes les personnes chargées des "
                          "signalements : décochez au moins un nom.",
    [M_ERR_FILE_TOO_LARGE] = "Un fichier est trop volumineux : chaque fichier peut faire au "
                             "maximum {1} Mo.",
    [M_ERR_FILE_TOO_MANY] = "Trop de fichiers : vous pouvez en envoyer {1} au maximum.",
    [M_ERR_FILES_NOT_KEPT] = "Pour votre sécurité, les fichiers ne sont pas conservés quand le "
                             "formulaire contient une erreur : sélectionnez-les de nouveau avant "
                             "d’envoyer.",
    [M_ERR_BROKEN_FORM] = "Le formulaire est arrivé incomplet, peut-être à cause d’une coupure de "
                          "connexion. Vérifiez votre texte ci-dessous et envoyez-le de nouveau.",
    [M_ERR_BODY_TOO_LARGE] = "Votre envoi dépasse la taille acceptée par ce site ({1} Mo au "
                             "total), donc rien n’a été conservé. Revenez en arrière, choisissez "
                             "moins de fichiers ou des fichiers plus petits, puis envoyez de "
                             "nouveau.",
    [M_ERR_BUSY] = "Le service est surchargé, donc rien n’a été enregistré. Patientez une minute, "
                   "puis envoyez de nouveau : votre texte est conservé ci-dessous.",
    [M_ERR_FULL] = "Le service ne peut pas enregistrer de signalements pour le moment, donc rien "
                   "n’a été enregistré. Veuillez réessayer plus tard : votre texte est conservé "
                   "ci-dessous.",
    [M_ERR_RECEIPT_FORMAT] = "Un reçu comporte 24 lettres et chiffres, par exemple 7KQM-3XH9-… : "
                             "vérifiez ce que vous avez saisi.",
    [M_ERR_RECEIPT_UNKNOWN] = "Aucun signalement ne correspond à ce reçu. Vérifiez chaque "
                              "caractère et réessayez.",
    [M_ERR_MESSAGE_EMPTY] = "Écrivez un message ou choisissez un fichier à envoyer.",
    [M_ERR_NO_RECIPIENT_LEFT] = "Aucune des personnes chargées des signalements que vous avez "
                                "choisies ne peut recevoir de messages pour le moment, donc rien "
                                "n’a été envoyé. Veuillez réessayer plus tard.",
    [M_ERR_NOT_A_FORM] = "Cette adresse n’accepte que les formulaires de ce site.",
    [M_RECEIPT_TITLE] = "Votre signalement a bien été reçu",
    [M_RECEIPT_INTRO] = "Votre signalement est enregistré, et seules les personnes chargées des "
                        "signalements peuvent le lire.",
    [M_RECEIPT_LABEL] = "Votre reçu",
    [M_CASE_LABEL] = "Référence du dossier",
    [M_CASE_HINT] = "La référence du dossier n’est pas secrète : vous pouvez la mentionner si "
                    "vous contactez les personnes chargées des signalements par un autre moyen.",
    [M_RECEIPT_KEEP] = "<strong>Notez ce reçu ou mettez-le en lieu sûr dès maintenant.</strong> "
                       "C’est le seul moyen de lire les réponses et d’ajouter des informations. "
                       "S’il est perdu, il ne peut pas être retrouvé, car nous ne savons pas qui "
                       "vous êtes. Ne le communiquez à personne : quiconque le possède peut lire "
                       "les réponses.",
    [M_RECEIPT_NEXT] = "Pour lire les réponses ou ajouter des informations, revenez sur « Suivre "
                       "un signalement » et saisissez votre reçu.",
    [M_RECEIPT_FIRST_TITLE] = "Votre reçu : notez-le maintenant",
    [M_RECEIPT_FIRST_BODY] = "Ce reçu sera celui de votre signalement quand vous l'enverrez. <strong>"
                             "Notez-le maintenant</strong>, ou gardez-le là où vous seul pouvez le "
                             "voir : c'est le seul moyen de lire les réponses et d'ajouter des "
                             "informations plus tard, et personne ne peut le retrouver pour vous. Ne "
                             "le laissez pas sur un appareil que d'autres utilisent.",
    [M_RECEIPT_ALREADY_SENT] = "Ce signalement avait déjà été envoyé : rien n'a été envoyé deux fois. "
                               "Votre reçu figure ci-dessous.",
    [M_ERR_FORM_RECEIPT] = "Le reçu de ce formulaire était abîmé : rien n'a été envoyé. Un nouveau "
                           "reçu est affiché en haut : notez-le, puis renvoyez le formulaire.",
    [M_SAFETY_TITLE] = "Pour votre sécurité",
    [M_SAFETY_ADVICE] = "Si vous le pouvez, utilisez un téléphone ou un ordinateur et un réseau "
                        "qui sont les vôtres, et non ceux de votre employeur. Une fenêtre de "
                        "navigation privée ne garde aucun historique de ce site ; le navigateur Tor "
                        "cache aussi l'endroit où vous êtes. Le bouton rouge en haut de chaque page "
                        "quitte ce site aussitôt, et votre navigateur ne garde pas les pages de ce "
                        "site : le bouton Retour ne fait pas revenir ce que vous avez écrit.",
    [M_MONTHS] = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre",
    [M_ST_HANDLED] = "Lu par une personne chargée des signalements, en cours de traitement",
    [M_ST_ERASED] = "Clos et effacé",
    [M_ERASED_BODY] = "Votre reçu est correct. Ce dossier a été clos, puis effacé comme le veut la "
                      "politique de conservation : rien n'en est gardé, il n'y a donc plus rien à "
                      "afficher. Si quelque chose de nouveau se produit, vous pouvez faire un "
                      "nouveau signalement.",
    [M_CLOSED_NOTE] = "Ce dossier a été clos. Vous pouvez encore ajouter des informations "
                      "ci-dessous : elles seront lues.",
    [M_CLOSING_MESSAGE] = "Leur dernier message :",
    [M_FOLLOWUP_ALREADY] = "Ce message avait déjà été envoyé : rien n'a été envoyé deux fois.",
    [M_PROFILE_WHO] = "Qui lit votre signalement",
    [M_PROFILE_NEXT] = "Ce qui se passe ensuite",
    [M_PROFILE_CONTACT] = "Autres moyens de joindre les personnes chargées des signalements",
    [M_PROFILE_SUPPORT] = "Soutien, et aide en cas d'urgence",
    [M_PROFILE_RETENTION] = "Durée de conservation :",
    [M_SENT_TITLE] = "Ce que vous avez envoyé",
    [M_SENT_NOTE] = "Cette liste montre ce qui est arrivé, pas ce que cela disait : seules les "
                    "personnes chargées des signalements peuvent lire votre signalement et vos "
                    "messages. Quiconque a votre reçu peut aussi voir cette liste.",
    [M_SENT_REPORT] = "Votre signalement",
    [M_SENT_FOLLOWUP] = "Informations ajoutées",
    [M_SENT_TEXT] = "de texte",
    [M_SENT_NO_TEXT] = "sans texte",
    [M_SENT_FILES] = "fichiers :",
    [M_SENT_OLDER] = "Les messages plus anciens ne sont pas listés.",
    [M_SENT_NONE] = "Aucune liste n'est gardée de ce qui a été envoyé avant que ce service en tienne une.",
    [M_SENT_MORE_FILES] = "et {1} fichiers de plus",
    [M_SIZE_UNITS] = "octets|Ko|Mo|Go",
    [M_STATUS_TITLE] = "Suivre un signalement",
    [M_STATUS_INTRO] = "Saisissez le reçu qui vous a été remis lorsque vous avez fait votre "
                       "signalement.",
    [M_RECEIPT_INPUT_LABEL] = "Reçu",
    [M_RECEIPT_INPUT_HINT] = "24 lettres et chiffres. Les majuscules, les espaces et les tirets "
                             "n’ont pas d’importance.",
    [M_SUBMIT_STATUS] = "Afficher mon signalement",
    [M_STATUS_HEADING] = "Votre signalement",
    [M_STATUS_LABEL] = "État",
    [M_RECEIVED_LABEL] = "Date de réception",
    [M_ST_NEW] = "Reçu, en attente de lecture",
    [M_ST_TRIAGED] = "Lu par une personne chargée des signalements, en cours d’attribution",
    [M_ST_INVESTIGATING] = "En cours d’examen",
    [M_ST_REFERRED] = "Transmis à un autre organisme qui peut y donner suite",
    [M_ST_CLOSED] = "Clos",
    [M_MESSAGES_HEADING] = "Messages des personnes chargées des signalements",
    [M_NO_MESSAGES] = "Pas encore de message. Les personnes chargées des signalements répondent "
                      "dans les 7 jours qui suivent un signalement.",
    [M_MESSAGE_FROM] = "Personne chargée des signalements",
    [M_FOLLOWUP_HEADING] = "Ajouter des informations",
    [M_FOLLOWUP_LABEL] = "Votre message",
    [M_FOLLOWUP_HINT] = "Tout ce qui vous est revenu en mémoire, ou une question pour les "
                        "personnes chargées des signalements.",
    [M_SUBMIT_FOLLOWUP] = "Envoyer",
    [M_FOLLOWUP_SENT] = "Merci : votre message a bien été enregistré à l’intention des personnes "
                        "chargées des signalements.",
    [M_UNREADABLE_MESSAGE] = "Ce message n’a pas pu être lu. Merci d’en informer les personnes "
                             "chargées des signalements.",
    [M_NOT_FOUND_TITLE] = "Page introuvable",
    [M_NOT_FOUND_BODY] = "Il n’y a aucune page à cette adresse.",
    [M_METHOD_TITLE] = "Cette action n’est pas possible ici",
    [M_METHOD_BODY] = "Cette adresse n’accepte pas ce type de requête.",
    [M_BUSY_TITLE] = "Le service est surchargé",
    [M_BUSY_BODY] = "Trop de personnes utilisent le service en ce moment. Rien n’a été "
                    "enregistré. Veuillez patienter une minute, puis réessayer.",
    [M_BACK_TO_FORM] = "Aller au formulaire de signalement",
};
