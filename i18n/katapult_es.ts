<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
    <context>
        <name>Auth</name>
        <message>
            <location filename="../plugin/auth.py" />
            <source>QGIS's authentication system is disabled, so the API key cannot be stored.</source>
            <translation>El sistema de autenticación de QGIS está desactivado, así que no se puede guardar la clave de API.</translation>
        </message>
        <message>
            <location filename="../plugin/auth.py" />
            <source>QGIS's authentication database is locked: enter (or create) its master password when QGIS asks, then try again.</source>
            <translation>La base de datos de autenticación de QGIS está bloqueada: introduzca (o cree) su contraseña maestra cuando QGIS la pida y vuelva a intentarlo.</translation>
        </message>
        <message>
            <location filename="../plugin/auth.py" />
            <source>Katapult API key ({host})</source>
            <translation>Clave de API de Katapult ({host})</translation>
        </message>
        <message>
            <location filename="../plugin/auth.py" />
            <source>QGIS could not update the stored API key.</source>
            <translation>QGIS no pudo actualizar la clave de API guardada.</translation>
        </message>
        <message>
            <location filename="../plugin/auth.py" />
            <source>QGIS could not store the API key in its authentication database.</source>
            <translation>QGIS no pudo guardar la clave de API en su base de datos de autenticación.</translation>
        </message>
        <message>
            <location filename="../plugin/auth.py" />
            <source>The authentication configuration {id} chosen for Katapult no longer exists. Open Web &gt; Katapult &gt; Settings… and enter the API key again.</source>
            <translation>La configuración de autenticación {id} elegida para Katapult ya no existe. Abra Web &gt; Katapult &gt; Configuración… e introduzca de nuevo la clave de API.</translation>
        </message>
        <message>
            <location filename="../plugin/auth.py" />
            <source>QGIS could not read the API key from authentication configuration {id}.</source>
            <translation>QGIS no pudo leer la clave de API de la configuración de autenticación {id}.</translation>
        </message>
    </context>
    <context>
        <name>ConflictDialog</name>
        <message>
            <location filename="../plugin/gui/conflict_dialog.py" />
            <source>(none)</source>
            <translation>(ninguno)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/conflict_dialog.py" />
            <source>(exists)</source>
            <translation>(existe)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/conflict_dialog.py" />
            <source>the whole item (deleted on one side)</source>
            <translation>el elemento completo (borrado en un lado)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/conflict_dialog.py" />
            <source>position</source>
            <translation>posición</translation>
        </message>
        <message>
            <location filename="../plugin/gui/conflict_dialog.py" />
            <source>span vertices</source>
            <translation>vértices del vano</translation>
        </message>
        <message>
            <location filename="../plugin/gui/conflict_dialog.py" />
            <source>Katapult: changes made here and on the server</source>
            <translation>Katapult: cambios hechos aquí y en el servidor</translation>
        </message>
        <message>
            <location filename="../plugin/gui/conflict_dialog.py" />
            <source>These items were changed both here and on the server. Choose per line which version to keep; the other items are already merged.</source>
            <translation>Estos elementos se cambiaron aquí y en el servidor. Elija en cada línea qué versión conservar; los demás elementos ya están fusionados.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/conflict_dialog.py" />
            <source>Item</source>
            <translation>Elemento</translation>
        </message>
        <message>
            <location filename="../plugin/gui/conflict_dialog.py" />
            <source>What</source>
            <translation>Qué</translation>
        </message>
        <message>
            <location filename="../plugin/gui/conflict_dialog.py" />
            <source>Before</source>
            <translation>Antes</translation>
        </message>
        <message>
            <location filename="../plugin/gui/conflict_dialog.py" />
            <source>Mine</source>
            <translation>Mío</translation>
        </message>
        <message>
            <location filename="../plugin/gui/conflict_dialog.py" />
            <source>Theirs</source>
            <translation>Del servidor</translation>
        </message>
        <message>
            <location filename="../plugin/gui/conflict_dialog.py" />
            <source>Keep</source>
            <translation>Conservar</translation>
        </message>
        <message>
            <location filename="../plugin/gui/conflict_dialog.py" />
            <source>Keep all mine</source>
            <translation>Conservar todos los míos</translation>
        </message>
        <message>
            <location filename="../plugin/gui/conflict_dialog.py" />
            <source>Take all theirs</source>
            <translation>Tomar todos los del servidor</translation>
        </message>
        <message>
            <location filename="../plugin/gui/conflict_dialog.py" />
            <source>Not resolved:</source>
            <translation>Sin resolver:</translation>
        </message>
    </context>
    <context>
        <name>ConnectionTest</name>
        <message>
            <location filename="../plugin/gui/connection_test.py" />
            <source>(no e-mail)</source>
            <translation>(sin correo electrónico)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/connection_test.py" />
            <source>Connected. This key belongs to {email} (user id {uid}, company {company}</source>
            <translation>Conectado. Esta clave pertenece a {email} (id de usuario {uid}, empresa {company}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/connection_test.py" />
            <source>, root company {root}</source>
            <translation>, empresa raíz {root}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/connection_test.py" />
            <source>Katapult: test connection</source>
            <translation>Katapult: probar la conexión</translation>
        </message>
    </context>
    <context>
        <name>DownloadJobAlgorithm</name>
        <message>
            <location filename="../plugin/processing/alg_download.py" />
            <source>Job id</source>
            <translation>Id del trabajo</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_download.py" />
            <source>Job GeoPackage</source>
            <translation>GeoPackage del trabajo</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_download.py" />
            <source>GeoPackage (*.gpkg)</source>
            <translation>GeoPackage (*.gpkg)</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_download.py" />
            <source>Give the id of the job to download (JOB_ID).</source>
            <translation>Indique el id del trabajo que se va a descargar (JOB_ID).</translation>
        </message>
    </context>
    <context>
        <name>ErrorText</name>
        <message>
            <location filename="../plugin/gui/error_text.py" />
            <source>the server</source>
            <translation>el servidor</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" />
            <source>Missing API key: the server received no key. Enter your Katapult API key in Web &gt; Katapult &gt; Settings….</source>
            <translation>Falta la clave de API: el servidor no recibió ninguna clave. Introduzca su clave de API de Katapult en Web &gt; Katapult &gt; Configuración….</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" />
            <source>Invalid API key: {host} does not recognise this key. Copy it again from Katapult Pro (it may have been revoked or mistyped).</source>
            <translation>Clave de API no válida: {host} no reconoce esta clave. Cópiela de nuevo desde Katapult Pro (puede haber sido revocada o estar mal escrita).</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" />
            <source>The key is valid, but its user has no API access on {host}. Ask your Katapult company administrator to enable API access for this user.</source>
            <translation>La clave es válida, pero su usuario no tiene acceso a la API en {host}. Pida al administrador de su empresa en Katapult que active el acceso a la API para este usuario.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" />
            <source>The connection to {host} broke after the request was sent, so it is unknown whether it was applied. It will be checked before retrying.</source>
            <translation>La conexión con {host} se cortó después de enviar la petición, así que no se sabe si se aplicó. Se comprobará antes de reintentar.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" />
            <source>Secure connection to {host} failed (TLS certificate could not be verified). Check the server URL and that your system trusts the server's certificate (a company proxy may need its certificate installed).</source>
            <translation>La conexión segura con {host} falló (no se pudo verificar el certificado TLS). Compruebe la URL del servidor y que su sistema confía en el certificado del servidor (un proxy de empresa puede necesitar que se instale su certificado).</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" />
            <source>{host} did not answer in time. Check your network connection and try again.</source>
            <translation>{host} no respondió a tiempo. Compruebe su conexión de red y vuelva a intentarlo.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" />
            <source>Cannot reach {host}: check the server URL and your network connection (proxy, VPN, firewall).</source>
            <translation>No se puede contactar con {host}: compruebe la URL del servidor y su conexión de red (proxy, VPN, cortafuegos).</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" />
            <source>{host} answered, but not like a Katapult Pro API server. Check the server URL (it normally ends in /api/v3, e.g. https://katapultpro.com/api/v3).</source>
            <translation>{host} respondió, pero no como un servidor de la API de Katapult Pro. Compruebe la URL del servidor (normalmente termina en /api/v3, p. ej. https://katapultpro.com/api/v3).</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" />
            <source>{host} has no Katapult API at this address. Check the server URL (it normally ends in /api/v3).</source>
            <translation>{host} no tiene una API de Katapult en esta dirección. Compruebe la URL del servidor (normalmente termina en /api/v3).</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" />
            <source>Katapult's rate limit for this key was reached. Wait a minute and try again.</source>
            <translation>Se alcanzó el límite de peticiones de Katapult para esta clave. Espere un minuto y vuelva a intentarlo.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" />
            <source>The Katapult server had an internal error (HTTP {status}). Try again later.</source>
            <translation>El servidor de Katapult tuvo un error interno (HTTP {status}). Inténtelo más tarde.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" />
            <source>Cancelled.</source>
            <translation>Cancelado.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" />
            <source>Unexpected error ({kind}): {message}</source>
            <translation>Error inesperado ({kind}): {message}</translation>
        </message>
    </context>
    <context>
        <name>KatapultAlgorithm</name>
        <message>
            <location filename="../plugin/processing/base.py" />
            <source>Katapult API key (authentication configuration)</source>
            <translation>Clave de API de Katapult (configuración de autenticación)</translation>
        </message>
        <message>
            <location filename="../plugin/processing/base.py" />
            <source>Server URL (empty: the plugin setting or KATAPULT_BASE_URL)</source>
            <translation>URL del servidor (vacía: la configuración del complemento o KATAPULT_BASE_URL)</translation>
        </message>
        <message>
            <location filename="../plugin/processing/base.py" />
            <source>Job GeoPackage</source>
            <translation>GeoPackage del trabajo</translation>
        </message>
        <message>
            <location filename="../plugin/processing/base.py" />
            <source>Cannot connect to Katapult: {error}. Set an API key in the plugin settings, pass AUTHCFG, or set KATAPULT_API_KEY.</source>
            <translation>No se puede conectar con Katapult: {error}. Defina una clave de API en la configuración del complemento, pase AUTHCFG o defina KATAPULT_API_KEY.</translation>
        </message>
    </context>
    <context>
        <name>KatapultJobBrowser</name>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Katapult jobs</source>
            <translation>Trabajos de Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Search name, id, metadata</source>
            <translation>Buscar por nombre, id, metadatos</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Refresh</source>
            <translation>Actualizar</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Include archived</source>
            <translation>Incluir archivados</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Metadata filter, e.g. city:Buffalo,status:done</source>
            <translation>Filtro de metadatos, p. ej. city:Buffalo,status:done</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Status</source>
            <translation>Estado</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Last updated</source>
            <translation>Última actualización</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Open</source>
            <translation>Abrir</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Open as…</source>
            <translation>Abrir como…</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Refresh layers</source>
            <translation>Actualizar capas</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>New…</source>
            <translation>Nuevo…</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Rename…</source>
            <translation>Renombrar…</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Metadata…</source>
            <translation>Metadatos…</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Archive</source>
            <translation>Archivar</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Open downloaded…</source>
            <translation>Abrir descargado…</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Pick-lists from model…</source>
            <translation>Listas de valores del modelo…</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Restore</source>
            <translation>Restaurar</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>{what}…</source>
            <translation>{what}…</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>{what} failed: {why}</source>
            <translation>{what} falló: {why}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>{n} job(s)</source>
            <translation>{n} trabajo(s)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Listing jobs</source>
            <translation>Listando trabajos</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Job {name} created</source>
            <translation>Trabajo {name} creado</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Creating job {name}</source>
            <translation>Creando el trabajo {name}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Renaming job</source>
            <translation>Renombrando el trabajo</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Job renamed to {name}</source>
            <translation>Trabajo renombrado a {name}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Updating job metadata</source>
            <translation>Actualizando los metadatos del trabajo</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Metadata saved</source>
            <translation>Metadatos guardados</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Job archived</source>
            <translation>Trabajo archivado</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Job restored</source>
            <translation>Trabajo restaurado</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Archiving job</source>
            <translation>Archivando el trabajo</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Restoring job</source>
            <translation>Restaurando el trabajo</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Layer {name} of this job has unsaved edits; save or discard them first.</source>
            <translation>La capa {name} de este trabajo tiene ediciones sin guardar; guárdelas o descártelas primero.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>{name} was edited during the download; save, then open again.</source>
            <translation>{name} se editó durante la descarga; guarde y vuelva a abrir.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Opened {name}: {summary}</source>
            <translation>Abierto {name}: {summary}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Downloading job {name}</source>
            <translation>Descargando el trabajo {name}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>The job is not open in this project; open it first.</source>
            <translation>El trabajo no está abierto en este proyecto; ábralo primero.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Refreshed: {summary}</source>
            <translation>Actualizado: {summary}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Refreshing job layers</source>
            <translation>Actualizando las capas del trabajo</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Open the job first; pick-lists are stored with its layers.</source>
            <translation>Abra primero el trabajo; las listas de valores se guardan con sus capas.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Reading the job's model pick-lists costs {cost} API tokens (1 more for the job's model name). Continue?</source>
            <translation>Leer las listas de valores del modelo del trabajo cuesta {cost} tokens de la API (1 más por el nombre del modelo). ¿Continuar?</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Pick-lists from the model</source>
            <translation>Listas de valores del modelo</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>The job does not say which model it uses.</source>
            <translation>El trabajo no indica qué modelo usa.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Pick-lists loaded for {n} attribute(s)</source>
            <translation>Listas de valores cargadas para {n} atributo(s)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Reading model pick-lists</source>
            <translation>Leyendo las listas de valores del modelo</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Rename job</source>
            <translation>Renombrar trabajo</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>New name</source>
            <translation>Nombre nuevo</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Metadata of {name}</source>
            <translation>Metadatos de {name}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Save the job as</source>
            <translation>Guardar el trabajo como</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>GeoPackage (*.gpkg)</source>
            <translation>GeoPackage (*.gpkg)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Open a downloaded job</source>
            <translation>Abrir un trabajo descargado</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Opened {path}</source>
            <translation>Abierto {path}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Name</source>
            <translation>Nombre</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Metadata</source>
            <translation>Metadatos</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_browser.py" />
            <source>Katapult</source>
            <translation>Katapult</translation>
        </message>
    </context>
    <context>
        <name>KatapultJobDialogs</name>
        <message>
            <location filename="../plugin/gui/job_dialogs.py" />
            <source>Name</source>
            <translation>Nombre</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_dialogs.py" />
            <source>Metadata</source>
            <translation>Metadatos</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_dialogs.py" />
            <source>Metadata line {n} ({line!r}) is not 'key = value'; fix or remove it.</source>
            <translation>La línea de metadatos {n} ({line!r}) no tiene la forma 'clave = valor'; corríjala o quítela.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_dialogs.py" />
            <source>New Katapult job</source>
            <translation>Nuevo trabajo de Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_dialogs.py" />
            <source>model key, e.g. katapult_default</source>
            <translation>clave del modelo, p. ej. katapult_default</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_dialogs.py" />
            <source>one 'key = value' per line</source>
            <translation>una 'clave = valor' por línea</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_dialogs.py" />
            <source>Model</source>
            <translation>Modelo</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_dialogs.py" />
            <source>Enter a name for the job.</source>
            <translation>Introduzca un nombre para el trabajo.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_dialogs.py" />
            <source>Enter the model key of the job (ask your Katapult admin if unsure).</source>
            <translation>Introduzca la clave del modelo del trabajo (pregunte al administrador de Katapult si no está seguro).</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_dialogs.py" />
            <source>Job metadata</source>
            <translation>Metadatos del trabajo</translation>
        </message>
        <message>
            <location filename="../plugin/gui/job_dialogs.py" />
            <source>One 'key = value' per line; delete a line to remove the key.</source>
            <translation>Una 'clave = valor' por línea; borre una línea para quitar la clave.</translation>
        </message>
    </context>
    <context>
        <name>KatapultLayers</name>
        <message>
            <location filename="../plugin/layers/geopackage.py" />
            <source>{n} nodes, {c} connections, {s} sections, {p} photos</source>
            <translation>{n} nodos, {c} conexiones, {s} secciones, {p} fotos</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" />
            <source>{count} {kind}(s) not drawn (missing node or coordinates): {ids}</source>
            <translation>{count} {kind} sin dibujar (falta el nodo o las coordenadas): {ids}</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" />
            <source>{count} data issue(s), see the Katapult log</source>
            <translation>{count} problema(s) de datos; vea el registro de Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" />
            <source>{path} has no field schema for {kind}; download the job again.</source>
            <translation>{path} no tiene esquema de campos para {kind}; descargue el trabajo de nuevo.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" />
            <source>Cannot create layer {layer} in {path}: {error}</source>
            <translation>No se puede crear la capa {layer} en {path}: {error}</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" />
            <source>Cannot write layer {layer} in {path}: {error}</source>
            <translation>No se puede escribir la capa {layer} en {path}: {error}</translation>
        </message>
        <message>
            <location filename="../plugin/layers/load_task.py" />
            <source>Loading the job was cancelled.</source>
            <translation>Se canceló la carga del trabajo.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" />
            <source>Finishing</source>
            <translation>Terminando</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" />
            <source>Reading job data</source>
            <translation>Leyendo los datos del trabajo</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" />
            <source>Writing {layer}</source>
            <translation>Escribiendo {layer}</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" />
            <source>Writing the snapshot</source>
            <translation>Escribiendo la instantánea</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" />
            <source>{path} is not this job's working copy (it holds {what}); choose another file.</source>
            <translation>{path} no es la copia de trabajo de este trabajo (contiene {what}); elija otro archivo.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" />
            <source>no Katapult job</source>
            <translation>ningún trabajo de Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" />
            <source>{path} still has {n} edit(s) not sent to Katapult; push them or use Refresh instead of downloading the job again.</source>
            <translation>{path} todavía tiene {n} edición(es) sin enviar a Katapult; envíelas o use Actualizar en lugar de descargar el trabajo de nuevo.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" />
            <source>The downloaded copy {part} is gone; download the job again.</source>
            <translation>La copia descargada {part} ya no existe; descargue el trabajo de nuevo.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" />
            <source>{path} is open in QGIS; remove the job's layers from the project (or use Refresh layers) before downloading it again.</source>
            <translation>{path} está abierto en QGIS; quite las capas del trabajo del proyecto (o use Actualizar capas) antes de volver a descargarlo.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/load_task.py" />
            <source>{path} holds {n} saved change(s) not sent to Katapult; push them, or use Refresh layers, instead of downloading the job again.</source>
            <translation>{path} contiene {n} cambio(s) guardados sin enviar a Katapult; envíelos, o use Actualizar capas, en lugar de descargar el trabajo de nuevo.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/project.py" />
            <source>Cannot apply style {style}: {message}</source>
            <translation>No se puede aplicar el estilo {style}: {message}</translation>
        </message>
        <message>
            <location filename="../plugin/layers/project.py" />
            <source>{path} does not exist; download the job first.</source>
            <translation>{path} no existe; descargue primero el trabajo.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/project.py" />
            <source>{path} is not a Katapult job GeoPackage (no kp_meta job id).</source>
            <translation>{path} no es un GeoPackage de trabajo de Katapult (no hay id de trabajo en kp_meta).</translation>
        </message>
        <message>
            <location filename="../plugin/layers/project.py" />
            <source>Layer {table} in {path} cannot be opened; download the job again.</source>
            <translation>No se puede abrir la capa {table} de {path}; descargue el trabajo de nuevo.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/refresh.py" />
            <source>updated {u}, added {a}, deleted {d}</source>
            <translation>{u} actualizados, {a} añadidos, {d} borrados</translation>
        </message>
        <message>
            <location filename="../plugin/layers/refresh.py" />
            <source>{n} feature(s) changed here were not overwritten: {items}</source>
            <translation>No se sobrescribieron {n} objeto(s) cambiados aquí: {items}</translation>
        </message>
        <message>
            <location filename="../plugin/layers/refresh.py" />
            <source>{n} problem(s), see the Katapult log</source>
            <translation>{n} problema(s); vea el registro de Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/layers/refresh.py" />
            <source>Layer {name} has unsaved edits; save or discard them, then refresh again.</source>
            <translation>La capa {name} tiene ediciones sin guardar; guárdelas o descártelas y vuelva a actualizar.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/refresh.py" />
            <source>Cannot add fields to {name}.</source>
            <translation>No se pueden añadir campos a {name}.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/refresh.py" />
            <source>server value does not fit the field</source>
            <translation>el valor del servidor no cabe en el campo</translation>
        </message>
        <message>
            <location filename="../plugin/layers/refresh.py" />
            <source>Cannot update features of {name}.</source>
            <translation>No se pueden actualizar los objetos de {name}.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/refresh.py" />
            <source>Cannot update geometries of {name}.</source>
            <translation>No se pueden actualizar las geometrías de {name}.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/refresh.py" />
            <source>Cannot add features to {name}.</source>
            <translation>No se pueden añadir objetos a {name}.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/refresh.py" />
            <source>Cannot delete features of {name}.</source>
            <translation>No se pueden borrar objetos de {name}.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/refresh.py" />
            <source>Layer {table} in {path} cannot be opened.</source>
            <translation>No se puede abrir la capa {table} de {path}.</translation>
        </message>
    </context>
    <context>
        <name>KatapultPhotos</name>
        <message>
            <location filename="../plugin/photos/jpeg_check.py" />
            <source>{name}: the file is empty (0 bytes); export the photo again.</source>
            <translation>{name}: el archivo está vacío (0 bytes); exporte la foto de nuevo.</translation>
        </message>
        <message>
            <location filename="../plugin/photos/jpeg_check.py" />
            <source>{name}: not a JPEG image by its content (whatever the extension); convert it to JPEG or leave it out.</source>
            <translation>{name}: por su contenido no es una imagen JPEG (tenga la extensión que tenga); conviértala a JPEG o déjela fuera.</translation>
        </message>
        <message>
            <location filename="../plugin/photos/jpeg_check.py" />
            <source>{name}: the JPEG is truncated (its end is missing); copy it again from the camera or card.</source>
            <translation>{name}: el JPEG está truncado (le falta el final); cópielo de nuevo desde la cámara o la tarjeta.</translation>
        </message>
        <message>
            <location filename="../plugin/photos/jpeg_check.py" />
            <source>{name}: the JPEG structure is damaged; re-export or re-copy the photo.</source>
            <translation>{name}: la estructura del JPEG está dañada; vuelva a exportar o a copiar la foto.</translation>
        </message>
        <message>
            <location filename="../plugin/photos/jpeg_check.py" />
            <source>{name}: cannot be read ({reason}); check that the file exists and that you may read it.</source>
            <translation>{name}: no se puede leer ({reason}); compruebe que el archivo existe y que tiene permiso de lectura.</translation>
        </message>
        <message>
            <location filename="../plugin/photos/jpeg_check.py" />
            <source>{name}: very large ({mb:.1f} MB); the upload will be slow. Consider exporting it smaller.</source>
            <translation>{name}: muy grande ({mb:.1f} MB); la subida será lenta. Considere exportarla a menor tamaño.</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" />
            <source>clues disagree: GPS points to {a} ({ga}), time to {b} ({tb}); choose the item</source>
            <translation>los indicios no coinciden: el GPS apunta a {a} ({ga}) y la hora a {b} ({tb}); elija el elemento</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" />
            <source>{d:.1f} m from {item}</source>
            <translation>a {d:.1f} m de {item}</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" />
            <source>; {item2} is almost as close ({d2:.1f} m)</source>
            <translation>; {item2} está casi igual de cerca ({d2:.1f} m)</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" />
            <source>taken inside {item}'s time window {a} – {b}</source>
            <translation>tomada dentro de la ventana horaria de {item}, {a} – {b}</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" />
            <source>taken {s:.0f} s outside {item}'s time window</source>
            <translation>tomada {s:.0f} s fuera de la ventana horaria de {item}</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" />
            <source>no GPS position and no capture time in EXIF; choose the item by hand</source>
            <translation>sin posición GPS ni hora de captura en EXIF; elija el elemento a mano</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" />
            <source>nearest node {item} is {d:.0f} m away (limit {m:.0f} m)</source>
            <translation>el nodo más cercano, {item}, está a {d:.0f} m (límite {m:.0f} m)</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" />
            <source>no node with a position in this job</source>
            <translation>ningún nodo de este trabajo tiene posición</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" />
            <source>GPS is ambiguous between {a} and {b}</source>
            <translation>el GPS es ambiguo entre {a} y {b}</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" />
            <source>no GPS position in EXIF</source>
            <translation>sin posición GPS en EXIF</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" />
            <source>capture time {t} is in no node's time window</source>
            <translation>la hora de captura {t} no cae en la ventana horaria de ningún nodo</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" />
            <source>capture time fits several nodes</source>
            <translation>la hora de captura encaja con varios nodos</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" />
            <source>no capture time in EXIF</source>
            <translation>sin hora de captura en EXIF</translation>
        </message>
        <message>
            <location filename="../plugin/photos/planning.py" />
            <source>job only (not associated)</source>
            <translation>solo en el trabajo (sin asociar)</translation>
        </message>
        <message>
            <location filename="../plugin/photos/planning.py" />
            <source>{n} photo(s) to upload, {t} tokens</source>
            <translation>{n} foto(s) por subir, {t} tokens</translation>
        </message>
        <message>
            <location filename="../plugin/photos/planning.py" />
            <source>time needed at the current rate limits: {d}</source>
            <translation>tiempo necesario con los límites de peticiones actuales: {d}</translation>
        </message>
        <message>
            <location filename="../plugin/photos/planning.py" />
            <source>{n} skipped</source>
            <translation>{n} omitida(s)</translation>
        </message>
        <message>
            <location filename="../plugin/photos/planning.py" />
            <source>{n} refused</source>
            <translation>{n} rechazada(s)</translation>
        </message>
        <message>
            <location filename="../plugin/photos/planning.py" />
            <source>under 1 s</source>
            <translation>menos de 1 s</translation>
        </message>
        <message>
            <location filename="../plugin/photos/planning.py" />
            <source>{name}: no item chosen; not uploaded</source>
            <translation>{name}: no se eligió ningún elemento; no se subió</translation>
        </message>
        <message>
            <location filename="../plugin/photos/planning.py" />
            <source>{name}: same content as {other} in this batch; uploaded once</source>
            <translation>{name}: mismo contenido que {other} en este lote; se subió una sola vez</translation>
        </message>
        <message>
            <location filename="../plugin/photos/planning.py" />
            <source>{name}: already uploaded (photo {pid}); use Move in the photo dock to change its item</source>
            <translation>{name}: ya subida (foto {pid}); use Mover en el panel de fotos para cambiar su elemento</translation>
        </message>
        <message>
            <location filename="../plugin/photos/uploader.py" />
            <source>{name}: the file changed after it was checked; run the import again</source>
            <translation>{name}: el archivo cambió después de comprobarlo; vuelva a ejecutar la importación</translation>
        </message>
        <message>
            <location filename="../plugin/photos/uploader.py" />
            <source>the queued photo has no content</source>
            <translation>la foto en cola no tiene contenido</translation>
        </message>
        <message>
            <location filename="../plugin/photos/uploader.py" />
            <source>the server answered without a photo id</source>
            <translation>el servidor respondió sin un id de foto</translation>
        </message>
        <message>
            <location filename="../plugin/photos/uploader.py" />
            <source>several photos on the server could be this upload; check the job's photos before retrying</source>
            <translation>varias fotos del servidor podrían ser esta subida; revise las fotos del trabajo antes de reintentar</translation>
        </message>
        <message>
            <location filename="../plugin/photos/planning.py" />
            <source>main</source>
            <translation>principal</translation>
        </message>
        <message>
            <location filename="../plugin/photos/planning.py" />
            <source>associated</source>
            <translation>asociada</translation>
        </message>
    </context>
    <context>
        <name>KatapultPlugin</name>
        <message>
            <location filename="../plugin/main.py" />
            <source>About Katapult for QGIS</source>
            <translation>Acerca de Katapult para QGIS</translation>
        </message>
        <message>
            <location filename="../plugin/main.py" />
            <source>Katapult for QGIS opens Katapult Pro jobs (poles, spans, midspans and photos) as QGIS layers, lets you edit them with QGIS's tools and writes the edits back to Katapult. Logs: View &gt; Panels &gt; Log Messages, tab Katapult.</source>
            <translation>Katapult para QGIS abre trabajos de Katapult Pro (postes, vanos, puntos intermedios y fotos) como capas de QGIS, permite editarlos con las herramientas de QGIS y envía las ediciones de vuelta a Katapult. Registro: Ver &gt; Paneles &gt; Mensajes de registro, pestaña Katapult.</translation>
        </message>
        <message>
            <location filename="../plugin/main.py" />
            <source>Settings…</source>
            <translation>Configuración…</translation>
        </message>
        <message>
            <location filename="../plugin/main.py" />
            <source>Draw pole line</source>
            <translation>Dibujar línea de postes</translation>
        </message>
        <message>
            <location filename="../plugin/main.py" />
            <source>Katapult jobs</source>
            <translation>Trabajos de Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/main.py" />
            <source>Katapult photos</source>
            <translation>Fotos de Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/main.py" />
            <source>Katapult sync</source>
            <translation>Sincronización de Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/main.py" />
            <source>Katapult QA</source>
            <translation>Control de calidad de Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/main.py" />
            <source>The Katapult Processing provider could not be loaded</source>
            <translation>No se pudo cargar el proveedor de Processing de Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/main.py" />
            <source>Katapult</source>
            <translation>Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/main.py" />
            <source>A Katapult start-up step failed</source>
            <translation>Falló un paso de arranque de Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/main.py" />
            <source>A Katapult clean-up step failed</source>
            <translation>Falló un paso de limpieza de Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/main.py" />
            <source>The panel '{title}' could not be created</source>
            <translation>No se pudo crear el panel '{title}'</translation>
        </message>
        <message>
            <location filename="../plugin/main.py" />
            <source>'{action}' failed</source>
            <translation>'{action}' falló</translation>
        </message>
    </context>
    <context>
        <name>KatapultProcessing</name>
        <message>
            <location filename="../plugin/processing/provider.py" />
            <source>Katapult</source>
            <translation>Katapult</translation>
        </message>
    </context>
    <context>
        <name>KatapultQaDock</name>
        <message>
            <location filename="../plugin/gui/qa_dock.py" />
            <source>Katapult QA</source>
            <translation>Control de calidad de Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/gui/qa_dock.py" />
            <source>The open job to check</source>
            <translation>El trabajo abierto que se va a comprobar</translation>
        </message>
        <message>
            <location filename="../plugin/gui/qa_dock.py" />
            <source>Run QA</source>
            <translation>Ejecutar el control</translation>
        </message>
        <message>
            <location filename="../plugin/gui/qa_dock.py" />
            <source>Thresholds</source>
            <translation>Umbrales</translation>
        </message>
        <message>
            <location filename="../plugin/gui/qa_dock.py" />
            <source>Finding</source>
            <translation>Hallazgo</translation>
        </message>
        <message>
            <location filename="../plugin/gui/qa_dock.py" />
            <source>Severity</source>
            <translation>Gravedad</translation>
        </message>
        <message>
            <location filename="../plugin/gui/qa_dock.py" />
            <source>Open a job, then Run QA.</source>
            <translation>Abra un trabajo y luego pulse Ejecutar el control.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/qa_dock.py" />
            <source>Export…</source>
            <translation>Exportar…</translation>
        </message>
        <message>
            <location filename="../plugin/gui/qa_dock.py" />
            <source>No open Katapult job: open one from the job browser first.</source>
            <translation>No hay ningún trabajo de Katapult abierto: abra uno primero desde el explorador de trabajos.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/qa_dock.py" />
            <source>Checking {n} nodes…</source>
            <translation>Comprobando {n} nodos…</translation>
        </message>
        <message>
            <location filename="../plugin/gui/qa_dock.py" />
            <source>QA failed: {error}</source>
            <translation>El control de calidad falló: {error}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/qa_dock.py" />
            <source>{title} ({n})</source>
            <translation>{title} ({n})</translation>
        </message>
        <message>
            <location filename="../plugin/gui/qa_dock.py" />
            <source>{n} finding(s), {e} error(s). Click one to select and zoom to it; fix and rerun.</source>
            <translation>{n} hallazgo(s), {e} error(es). Haga clic en uno para seleccionarlo y acercarse; corríjalo y vuelva a ejecutar.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/qa_dock.py" />
            <source>No findings: the job passes QA.</source>
            <translation>Sin hallazgos: el trabajo supera el control de calidad.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/qa_dock.py" />
            <source>Export QA findings</source>
            <translation>Exportar los hallazgos del control</translation>
        </message>
        <message>
            <location filename="../plugin/gui/qa_dock.py" />
            <source>GeoPackage (*.gpkg);;CSV (*.csv)</source>
            <translation>GeoPackage (*.gpkg);;CSV (*.csv)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/qa_dock.py" />
            <source>Could not export to {path}: {error}</source>
            <translation>No se pudo exportar a {path}: {error}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/qa_dock.py" />
            <source>Exported {n} finding(s) to {path}</source>
            <translation>Se exportaron {n} hallazgo(s) a {path}</translation>
        </message>
    </context>
    <context>
        <name>KatapultSync</name>
        <message>
            <location filename="../plugin/gui/sync_flows.py" />
            <source>The job's {0} layer is not in the project; open the job again.</source>
            <translation>La capa {0} del trabajo no está en el proyecto; vuelva a abrir el trabajo.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_flows.py" />
            <source>No Katapult job is open; open one first.</source>
            <translation>No hay ningún trabajo de Katapult abierto; abra uno primero.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_flows.py" />
            <source>Pull failed: {0}</source>
            <translation>La descarga de cambios falló: {0}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_flows.py" />
            <source>Not sent: {0}</source>
            <translation>No enviado: {0}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_flows.py" />
            <source>Planning the push failed: {0}</source>
            <translation>Falló la planificación del envío: {0}</translation>
        </message>
        <message>
            <location filename="../plugin/layers/sync_io.py" />
            <source>Layer {0} has unsaved edits; save them (or roll them back) first.</source>
            <translation>La capa {0} tiene ediciones sin guardar; guárdelas (o descártelas) primero.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/sync_io.py" />
            <source>{0} does not exist; download the job first (katapult:downloadjob).</source>
            <translation>{0} no existe; descargue primero el trabajo (katapult:downloadjob).</translation>
        </message>
        <message>
            <location filename="../plugin/layers/sync_io.py" />
            <source>{0} is not a Katapult job GeoPackage; download the job first.</source>
            <translation>{0} no es un GeoPackage de trabajo de Katapult; descargue primero el trabajo.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/sync_io.py" />
            <source>Layer {0} in {1} cannot be opened; download the job again.</source>
            <translation>No se puede abrir la capa {0} de {1}; descargue el trabajo de nuevo.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/sync_io.py" />
            <source>Cannot write new ids into layer {0}.</source>
            <translation>No se pueden escribir los ids nuevos en la capa {0}.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/sync_io.py" />
            <source>Layer {0} reads no features although the job has {1}; reload the job and push again.</source>
            <translation>La capa {0} no lee ningún objeto aunque el trabajo tiene {1}; vuelva a cargar el trabajo y envíe de nuevo.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/sync_io.py" />
            <source>Cannot delete a feature of {0}.</source>
            <translation>No se puede borrar un objeto de {0}.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/sync_io.py" />
            <source>Cannot add a feature to {0}.</source>
            <translation>No se puede añadir un objeto a {0}.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/sync_io.py" />
            <source>Cannot update a feature of {0}.</source>
            <translation>No se puede actualizar un objeto de {0}.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/sync_io.py" />
            <source>Some new features could not get an id; push again.</source>
            <translation>Algunos objetos nuevos no pudieron recibir un id; vuelva a enviar.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/sync_io.py" />
            <source>{0} edits are still being sent; pull when the queue is empty (or cancel it).</source>
            <translation>Todavía se están enviando {0} ediciones; descargue cambios cuando la cola esté vacía (o cancélela).</translation>
        </message>
    </context>
    <context>
        <name>ListJobsAlgorithm</name>
        <message>
            <location filename="../plugin/processing/alg_listjobs.py" />
            <source>Include archived jobs</source>
            <translation>Incluir trabajos archivados</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_listjobs.py" />
            <source>Metadata filter (attribute:value, comma separated)</source>
            <translation>Filtro de metadatos (atributo:valor, separados por comas)</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_listjobs.py" />
            <source>Jobs</source>
            <translation>Trabajos</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_listjobs.py" />
            <source>Number of jobs</source>
            <translation>Número de trabajos</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_listjobs.py" />
            <source>{n} job(s)</source>
            <translation>{n} trabajo(s)</translation>
        </message>
    </context>
    <context>
        <name>PhotoDock</name>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Katapult photos</source>
            <translation>Fotos de Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Select one pole or midspan on a Katapult layer.</source>
            <translation>Seleccione un poste o punto intermedio en una capa de Katapult.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Set main</source>
            <translation>Hacer principal</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Make the selected photo the item's main photo</source>
            <translation>Hacer de la foto seleccionada la foto principal del elemento</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Associate…</source>
            <translation>Asociar…</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Attach an existing photo of the job</source>
            <translation>Adjuntar una foto existente del trabajo</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Unassociate</source>
            <translation>Desasociar</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Detach the selected photo from this item (it stays in the job)</source>
            <translation>Separar la foto seleccionada de este elemento (sigue en el trabajo)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Move…</source>
            <translation>Mover…</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Move the selected photo to another item</source>
            <translation>Mover la foto seleccionada a otro elemento</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Upload…</source>
            <translation>Subir…</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Upload JPEG files (or drop them on this panel)</source>
            <translation>Subir archivos JPEG (o soltarlos en este panel)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Import folder…</source>
            <translation>Importar carpeta…</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Match a folder of photos to poles by GPS and time, review, then upload</source>
            <translation>Emparejar una carpeta de fotos con postes por GPS y hora, revisar y subir</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Dropped files go:</source>
            <translation>Los archivos soltados van:</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>to the selected item</source>
            <translation>al elemento seleccionado</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>to the selected item, as main photo</source>
            <translation>al elemento seleccionado, como foto principal</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>to the job only (no item)</source>
            <translation>solo al trabajo (sin elemento)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Messages about uploads and actions appear here.</source>
            <translation>Aquí aparecen los mensajes sobre subidas y acciones.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>{n} features selected: select exactly one pole or midspan.</source>
            <translation>{n} objetos seleccionados: seleccione exactamente un poste o punto intermedio.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>This feature has no Katapult id yet (push it first).</source>
            <translation>Este objeto todavía no tiene id de Katapult (envíelo primero).</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>This layer is not part of a downloaded job GeoPackage; open the job again.</source>
            <translation>Esta capa no forma parte de un GeoPackage de trabajo descargado; vuelva a abrir el trabajo.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Pole/node</source>
            <translation>Poste/nodo</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Midspan</source>
            <translation>Punto intermedio</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>{kind} {label}: {n} photo(s)</source>
            <translation>{kind} {label}: {n} foto(s)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>MAIN</source>
            <translation>PRINCIPAL</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>date unknown</source>
            <translation>fecha desconocida</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>id: {id}</source>
            <translation>id: {id}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>not in the job's photo list (pull the job to refresh)</source>
            <translation>no está en la lista de fotos del trabajo (descargue cambios del trabajo para actualizar)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>uploaded {d}</source>
            <translation>subida {d}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>thumbnail not available: {m}</source>
            <translation>miniatura no disponible: {m}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>{what} failed: {message}</source>
            <translation>{what} falló: {message}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>{p} is now the main photo of {item}.</source>
            <translation>{p} es ahora la foto principal de {item}.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>{p} detached from {item} (still in the job).</source>
            <translation>{p} separada de {item} (sigue en el trabajo).</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Associate</source>
            <translation>Asociar</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>{p} attached to {item}.</source>
            <translation>{p} adjuntada a {item}.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Move</source>
            <translation>Mover</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>{p} moved to {t}.</source>
            <translation>{p} movida a {t}.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Move photo</source>
            <translation>Mover foto</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>This job has no other item.</source>
            <translation>Este trabajo no tiene otro elemento.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Move the photo to (nearest first):</source>
            <translation>Mover la foto a (el más cercano primero):</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Upload photos</source>
            <translation>Subir fotos</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>JPEG images (*.jpg *.jpeg *.JPG *.JPEG);;All files (*)</source>
            <translation>Imágenes JPEG (*.jpg *.jpeg *.JPG *.JPEG);;Todos los archivos (*)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>{name}: not a file (folders: use Import folder…); skipped.</source>
            <translation>{name}: no es un archivo (para carpetas use Importar carpeta…); omitido.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Select a pole or midspan first.</source>
            <translation>Seleccione primero un poste o punto intermedio.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Checking {n} file(s)…</source>
            <translation>Comprobando {n} archivo(s)…</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Cancelling after the photo in flight…</source>
            <translation>Cancelando después de la foto en curso…</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>{name}: uploaded as {pid}</source>
            <translation>{name}: subida como {pid}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>{name}: already on the server as {pid} (not sent again)</source>
            <translation>{name}: ya está en el servidor como {pid} (no se envía de nuevo)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>{name}: not confirmed ({m}); run the upload again to finish</source>
            <translation>{name}: sin confirmar ({m}); vuelva a ejecutar la subida para terminar</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>{n} uploaded, {f} failed</source>
            <translation>{n} subida(s), {f} fallida(s)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>; cancelled (run it again to upload the rest, nothing is sent twice)</source>
            <translation>; cancelado (vuelva a ejecutarlo para subir el resto; nada se envía dos veces)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Associate a photo of the job</source>
            <translation>Asociar una foto del trabajo</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>{n} photo(s) are not on any item; they are listed first.</source>
            <translation>{n} foto(s) no están en ningún elemento; aparecen primero.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>File</source>
            <translation>Archivo</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Taken</source>
            <translation>Tomada</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Camera</source>
            <translation>Cámara</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>On an item</source>
            <translation>En un elemento</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>yes</source>
            <translation>sí</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>no</source>
            <translation>no</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>as the main photo</source>
            <translation>como foto principal</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Nothing to upload.</source>
            <translation>No hay nada que subir.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Start the upload?</source>
            <translation>¿Empezar la subida?</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Upload not started.</source>
            <translation>Subida no iniciada.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>{name}: refused by the server: {m}</source>
            <translation>{name}: rechazada por el servidor: {m}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_dock.py" />
            <source>Upload failed: {m}</source>
            <translation>La subida falló: {m}</translation>
        </message>
    </context>
    <context>
        <name>PhotoImportDialog</name>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Nothing to upload.</source>
            <translation>No hay nada que subir.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Start the upload?</source>
            <translation>¿Empezar la subida?</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Upload not started.</source>
            <translation>Subida no iniciada.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>{name}: refused by the server: {m}</source>
            <translation>{name}: rechazada por el servidor: {m}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Upload failed: {m}</source>
            <translation>La subida falló: {m}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Import a folder of photos</source>
            <translation>Importar una carpeta de fotos</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Folder with the photos of the field visit</source>
            <translation>Carpeta con las fotos de la visita de campo</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Browse…</source>
            <translation>Examinar…</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>include subfolders</source>
            <translation>incluir subcarpetas</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Folder:</source>
            <translation>Carpeta:</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Nearest node by GPS within</source>
            <translation>Nodo más cercano por GPS dentro de</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Node time buckets containing the capture time</source>
            <translation>Ventanas horarias de nodo que contienen la hora de captura</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>camera clock UTC </source>
            <translation>reloj de la cámara UTC </translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Used when the photo's EXIF has no time zone (OffsetTimeOriginal).</source>
            <translation>Se usa cuando el EXIF de la foto no tiene zona horaria (OffsetTimeOriginal).</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>associate</source>
            <translation>asociar</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>associate as main photo</source>
            <translation>asociar como foto principal</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Matched photos:</source>
            <translation>Fotos emparejadas:</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Scan and match</source>
            <translation>Explorar y emparejar</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Photo</source>
            <translation>Foto</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Proposed item</source>
            <translation>Elemento propuesto</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Evidence</source>
            <translation>Indicios</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Confidence</source>
            <translation>Confianza</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Note</source>
            <translation>Nota</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Upload</source>
            <translation>Subir</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Close</source>
            <translation>Cerrar</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Folder with photos</source>
            <translation>Carpeta con fotos</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Choose an existing folder first.</source>
            <translation>Elija primero una carpeta existente.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Scanning {folder}…</source>
            <translation>Explorando {folder}…</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Scanning failed: {m}</source>
            <translation>La exploración falló: {m}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>— refused —</source>
            <translation>— rechazada —</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>not uploaded</source>
            <translation>sin subir</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>no match</source>
            <translation>sin coincidencia</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>{n} photo(s) have no match and will not be uploaded unless you choose an item: {names}</source>
            <translation>{n} foto(s) no tienen coincidencia y no se subirán a menos que elija un elemento: {names}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Every readable photo has a proposed item; check the low-confidence rows.</source>
            <translation>Cada foto legible tiene un elemento propuesto; revise las filas de baja confianza.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>{n} file(s): {m} matched, {u} unmatched, {r} refused.</source>
            <translation>{n} archivo(s): {m} emparejados, {u} sin emparejar, {r} rechazados.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>— leave out —</source>
            <translation>— dejar fuera —</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>job only (no item)</source>
            <translation>solo el trabajo (sin elemento)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>other item…</source>
            <translation>otro elemento…</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Choose the item</source>
            <translation>Elija el elemento</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>Node:</source>
            <translation>Nodo:</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>{n} photo(s) to upload: {t} tokens</source>
            <translation>{n} foto(s) por subir: {t} tokens</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>; time needed at the current rate limits: {d}</source>
            <translation>; tiempo necesario con los límites de peticiones actuales: {d}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>{name}: not confirmed ({m}); upload again to finish</source>
            <translation>{name}: sin confirmar ({m}); vuelva a subir para terminar</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>{n} uploaded, {a} found already on the server, {f} failed</source>
            <translation>{n} subida(s), {a} ya estaban en el servidor, {f} fallida(s)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_import_dialog.py" />
            <source>; cancelled: upload again for the rest (nothing is sent twice)</source>
            <translation>; cancelado: vuelva a subir para el resto (nada se envía dos veces)</translation>
        </message>
    </context>
    <context>
        <name>PhotoViewer</name>
        <message>
            <location filename="../plugin/gui/photo_viewer.py" />
            <source>Photo {name}</source>
            <translation>Foto {name}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_viewer.py" />
            <source>main photo</source>
            <translation>foto principal</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_viewer.py" />
            <source>taken {d} UTC</source>
            <translation>tomada {d} UTC</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_viewer.py" />
            <source>id {id}</source>
            <translation>id {id}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_viewer.py" />
            <source>Loading…</source>
            <translation>Cargando…</translation>
        </message>
        <message>
            <location filename="../plugin/gui/photo_viewer.py" />
            <source>The photo could not be loaded: {m}</source>
            <translation>No se pudo cargar la foto: {m}</translation>
        </message>
    </context>
    <context>
        <name>PoleLine</name>
        <message>
            <location filename="../plugin/maptools/activate.py" />
            <source>Katapult</source>
            <translation>Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/activate.py" />
            <source>Katapult pole line</source>
            <translation>Línea de postes de Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" />
            <source>node_type of new poles</source>
            <translation>node_type de los postes nuevos</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" />
            <source>pole_height=45; proposed=true</source>
            <translation>pole_height=45; proposed=true</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" />
            <source>Default attributes of new poles: name=value, separated by ';'</source>
            <translation>Atributos predeterminados de los postes nuevos: nombre=valor, separados por ';'</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" />
            <source>connection_type of new spans</source>
            <translation>connection_type de los vanos nuevos</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" />
            <source>Auto-spacing</source>
            <translation>Espaciado automático</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" />
            <source>Click a route; poles are proposed along it</source>
            <translation>Haga clic en una ruta; se proponen postes a lo largo de ella</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" />
            <source>Pole spacing along the route</source>
            <translation>Separación de postes a lo largo de la ruta</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" />
            <source>at most, poles on corners</source>
            <translation>como máximo, postes en las esquinas</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" />
            <source>exactly, from the start</source>
            <translation>exactamente, desde el inicio</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" />
            <source>At most: each leg of the route is split into equal spans no longer than the spacing, with a pole on every corner. Exactly: a pole every spacing along the route, the last span takes the rest.</source>
            <translation>Como máximo: cada tramo de la ruta se divide en vanos iguales no más largos que la separación, con un poste en cada esquina. Exactamente: un poste a cada separación a lo largo de la ruta; el último vano se queda con el resto.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" />
            <source>Longest allowed span: longer spans are flagged</source>
            <translation>Vano más largo permitido: los vanos más largos se marcan</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" />
            <source>Pole:</source>
            <translation>Poste:</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" />
            <source>Span:</source>
            <translation>Vano:</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" />
            <source>every</source>
            <translation>cada</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" />
            <source>max</source>
            <translation>máx.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/pole_line_tool.py" />
            <source>Pole {fid} of layer '{layer}' has no kp_id, so a span cannot refer to it; a new pole is placed instead.</source>
            <translation>El poste {fid} de la capa '{layer}' no tiene kp_id, así que un vano no puede referirse a él; en su lugar se coloca un poste nuevo.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/pole_line_tool.py" />
            <source>Pole line cancelled; nothing was added.</source>
            <translation>Línea de postes cancelada; no se añadió nada.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/pole_line_tool.py" />
            <source>Select a layer of the Katapult job to draw in (its nodes or connections layer) first.</source>
            <translation>Seleccione primero una capa del trabajo de Katapult donde dibujar (su capa de nodos o de conexiones).</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/pole_line_tool.py" />
            <source>A span cannot connect a pole to itself; click another pole or an empty spot.</source>
            <translation>Un vano no puede unir un poste consigo mismo; haga clic en otro poste o en un lugar vacío.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/pole_line_tool.py" />
            <source>Same spot as the previous pole: no zero-length span was made.</source>
            <translation>Mismo lugar que el poste anterior: no se creó un vano de longitud cero.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/pole_line_tool.py" />
            <source>There is already a span between these two poles; click another spot.</source>
            <translation>Ya hay un vano entre estos dos postes; haga clic en otro lugar.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/pole_line_tool.py" />
            <source>Preview: {poles} poles, {spans} spans, longest {longest}. Enter or right click adds them, Backspace goes back to the route, Esc cancels.</source>
            <translation>Vista previa: {poles} postes, {spans} vanos, el más largo {longest}. Intro o clic derecho los añade, Retroceso vuelve a la ruta, Esc cancela.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/pole_line_tool.py" />
            <source>{n} span(s) are longer than the maximum of {max}.</source>
            <translation>{n} vano(s) superan el máximo de {max}.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/pole_line_tool.py" />
            <source>Nothing to add: a single existing pole makes no span.</source>
            <translation>Nada que añadir: un solo poste existente no forma un vano.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/pole_line_tool.py" />
            <source>Added {poles} pole(s) and {spans} span(s) ({length}); they are sent on Push.</source>
            <translation>Se añadieron {poles} poste(s) y {spans} vano(s) ({length}); se envían con Enviar.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/pole_line_tool.py" />
            <source>{length} &gt; max {max}</source>
            <translation>{length} &gt; máx. {max}</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" />
            <source>The job has no such layer; reload the job.</source>
            <translation>El trabajo no tiene esa capa; vuelva a cargar el trabajo.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" />
            <source>Layer '{name}' is read-only; make it editable in Layer Properties or save a writable copy.</source>
            <translation>La capa '{name}' es de solo lectura; hágala editable en Propiedades de la capa o guarde una copia editable.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" />
            <source>Layer '{name}' cannot add features (its data source does not allow it); save it as a GeoPackage first.</source>
            <translation>La capa '{name}' no admite añadir objetos (su fuente de datos no lo permite); guárdela primero como GeoPackage.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" />
            <source>Could not start editing layer '{name}'; check that its file is writable and not locked by another program.</source>
            <translation>No se pudo empezar a editar la capa '{name}'; compruebe que su archivo se puede escribir y no está bloqueado por otro programa.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" />
            <source>Default attribute '{item}' is not name=value; write it like pole_height=45.</source>
            <translation>El atributo predeterminado '{item}' no tiene la forma nombre=valor; escríbalo como pole_height=45.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" />
            <source>Default attribute '{item}' has no name before '='.</source>
            <translation>El atributo predeterminado '{item}' no tiene nombre antes de '='.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" />
            <source>'{name}' is managed by the plugin and cannot be a default attribute; remove it.</source>
            <translation>'{name}' lo gestiona el complemento y no puede ser un atributo predeterminado; quítelo.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" />
            <source>Value '{value}' does not fit field '{name}' of layer '{layer}' ({type}); fix the default attribute.</source>
            <translation>El valor '{value}' no cabe en el campo '{name}' de la capa '{layer}' ({type}); corrija el atributo predeterminado.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" />
            <source>Layer '{layer}' has no field '{name}' and it cannot be added; add it in Layer Properties.</source>
            <translation>La capa '{layer}' no tiene el campo '{name}' y no se puede añadir; añádalo en Propiedades de la capa.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" />
            <source>A span cannot connect a pole to itself; click somewhere else for the next pole.</source>
            <translation>Un vano no puede unir un poste consigo mismo; haga clic en otro lugar para el siguiente poste.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" />
            <source>The drawing makes the same span twice; remove the last pole (Backspace).</source>
            <translation>El dibujo crea el mismo vano dos veces; quite el último poste (Retroceso).</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" />
            <source>The job needs both a nodes and a connections layer to draw pole lines; reload the job.</source>
            <translation>Para dibujar líneas de postes el trabajo necesita una capa de nodos y una de conexiones; vuelva a cargar el trabajo.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" />
            <source>There is already a span between poles {a} and {b}; remove the last pole (Backspace).</source>
            <translation>Ya hay un vano entre los postes {a} y {b}; quite el último poste (Retroceso).</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" />
            <source>Draw pole line</source>
            <translation>Dibujar línea de postes</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" />
            <source>Layer '{layer}' refused a new pole; check its constraints.</source>
            <translation>La capa '{layer}' rechazó un poste nuevo; revise sus restricciones.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" />
            <source>Layer '{layer}' refused a new span; check its constraints.</source>
            <translation>La capa '{layer}' rechazó un vano nuevo; revise sus restricciones.</translation>
        </message>
    </context>
    <context>
        <name>PullAlgorithm</name>
        <message>
            <location filename="../plugin/processing/alg_pull.py" />
            <source>{UPDATED} updated, {ADDED} added, {DELETED} deleted, {MERGED} merged, {CONFLICTS} new conflict(s).</source>
            <translation>{UPDATED} actualizados, {ADDED} añadidos, {DELETED} borrados, {MERGED} fusionados, {CONFLICTS} conflicto(s) nuevo(s).</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_pull.py" />
            <source>{0} conflict(s) wait in the GeoPackage: open the job in QGIS and resolve them in the Katapult conflict dialog; those features are not pushed until then.</source>
            <translation>{0} conflicto(s) esperan en el GeoPackage: abra el trabajo en QGIS y resuélvalos en el diálogo de conflictos de Katapult; esos objetos no se envían hasta entonces.</translation>
        </message>
    </context>
    <context>
        <name>PushAlgorithm</name>
        <message>
            <location filename="../plugin/processing/alg_push.py" />
            <source>Failed operations and why</source>
            <translation>Operaciones fallidas y motivo</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_push.py" />
            <source>Not sent: {0}</source>
            <translation>No enviado: {0}</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_push.py" />
            <source>Failed: {0}</source>
            <translation>Fallidas: {0}</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_push.py" />
            <source>The server refused the API key ({0}); {1} edit(s) wait in the GeoPackage. Fix the key (AUTHCFG or KATAPULT_API_KEY) and run the push again.</source>
            <translation>El servidor rechazó la clave de API ({0}); {1} edición(es) esperan en el GeoPackage. Corrija la clave (AUTHCFG o KATAPULT_API_KEY) y vuelva a ejecutar el envío.</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_push.py" />
            <source>The server could not be reached ({0}); {1} edit(s) wait in the GeoPackage and are sent, without duplicates, by the next push.</source>
            <translation>No se pudo contactar con el servidor ({0}); {1} edición(es) esperan en el GeoPackage y el próximo envío las mandará sin duplicados.</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_push.py" />
            <source>Push cancelled; {0} edit(s) wait in the GeoPackage for the next push.</source>
            <translation>Envío cancelado; {0} edición(es) esperan en el GeoPackage al próximo envío.</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_push.py" />
            <source>{planned} operation(s) planned, {sent} request(s) sent, {done} done, {failed} failed, {held} held.</source>
            <translation>{planned} operación(es) planificadas, {sent} petición(es) enviadas, {done} hechas, {failed} fallidas, {held} retenidas.</translation>
        </message>
    </context>
    <context>
        <name>QaAlgorithm</name>
        <message>
            <location filename="../plugin/processing/alg_qa.py" />
            <source>QA issues</source>
            <translation>Problemas de calidad</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_qa.py" />
            <source>Number of issues</source>
            <translation>Número de problemas</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_qa.py" />
            <source>Number of errors</source>
            <translation>Número de errores</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_qa.py" />
            <source>{n} issue(s), {e} error(s) on {nodes} nodes</source>
            <translation>{n} problema(s), {e} error(es) en {nodes} nodos</translation>
        </message>
    </context>
    <context>
        <name>Settings</name>
        <message>
            <location filename="../plugin/settings.py" />
            <source>No Katapult API key is set. Open Web &gt; Katapult &gt; Settings… and enter your key, or set the KATAPULT_API_KEY environment variable.</source>
            <translation>No hay ninguna clave de API de Katapult. Abra Web &gt; Katapult &gt; Configuración… e introduzca su clave, o defina la variable de entorno KATAPULT_API_KEY.</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" />
            <source>Enter the server URL, e.g. https://katapultpro.com/api/v3.</source>
            <translation>Introduzca la URL del servidor, p. ej. https://katapultpro.com/api/v3.</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" />
            <source>The server URL must not contain spaces.</source>
            <translation>La URL del servidor no puede contener espacios.</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" />
            <source>The server URL is malformed (bad host or port): {url}</source>
            <translation>La URL del servidor está mal formada (servidor o puerto incorrecto): {url}</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" />
            <source>The server URL must start with https:// and name a server, e.g. https://katapultpro.com/api/v3 (got: {url}).</source>
            <translation>La URL del servidor debe empezar por https:// e indicar un servidor, p. ej. https://katapultpro.com/api/v3 (se recibió: {url}).</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" />
            <source>The server URL has no host name: {url}</source>
            <translation>La URL del servidor no tiene nombre de servidor: {url}</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" />
            <source>The server URL must not contain a user name or password (user@host).</source>
            <translation>La URL del servidor no puede contener usuario ni contraseña (usuario@servidor).</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" />
            <source>The server URL must not contain '?' or '#' parts: enter the API key in its own field.</source>
            <translation>La URL del servidor no puede contener partes con '?' o '#': introduzca la clave de API en su propio campo.</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" />
            <source>Plain http:// is only allowed for a server on this computer (127.0.0.1, localhost or [::1]); use https://{host} instead, so the API key is encrypted in transit.</source>
            <translation>http:// sin cifrar solo se permite para un servidor en este equipo (127.0.0.1, localhost o [::1]); use https://{host} para que la clave de API viaje cifrada.</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" />
            <source>Enter your Katapult API key.</source>
            <translation>Introduzca su clave de API de Katapult.</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" />
            <source>The API key contains a space or line break (character {n}). Copy it again from Katapult Pro without surrounding spaces.</source>
            <translation>La clave de API contiene un espacio o un salto de línea (carácter {n}). Cópiela de nuevo desde Katapult Pro sin espacios alrededor.</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" />
            <source>The API key contains an invisible control character (character {n}).</source>
            <translation>La clave de API contiene un carácter de control invisible (carácter {n}).</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" />
            <source>Units must be 'ft' or 'm' (got {u}).</source>
            <translation>Las unidades deben ser 'ft' o 'm' (se recibió {u}).</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" />
            <source>Katapult settings</source>
            <translation>Configuración de Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" />
            <source>Paste your Katapult Pro API key</source>
            <translation>Pegue su clave de API de Katapult Pro</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" />
            <source>Feet (ft)</source>
            <translation>Pies (ft)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" />
            <source>Metres (m)</source>
            <translation>Metros (m)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" />
            <source>Test connection</source>
            <translation>Probar la conexión</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" />
            <source>Forget the stored key</source>
            <translation>Olvidar la clave guardada</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" />
            <source>Server URL</source>
            <translation>URL del servidor</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" />
            <source>API key</source>
            <translation>Clave de API</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" />
            <source>Units</source>
            <translation>Unidades</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" />
            <source>The key is kept encrypted in QGIS's authentication database (configuration {id}).</source>
            <translation>La clave se guarda cifrada en la base de datos de autenticación de QGIS (configuración {id}).</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" />
            <source>No key is saved; the KATAPULT_API_KEY environment variable is used. Saving here stores the key in QGIS's authentication database instead.</source>
            <translation>No hay ninguna clave guardada; se usa la variable de entorno KATAPULT_API_KEY. Al guardar aquí, la clave pasa a la base de datos de autenticación de QGIS.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" />
            <source>The key will be kept encrypted in QGIS's authentication database (QGIS may ask for its master password).</source>
            <translation>La clave se guardará cifrada en la base de datos de autenticación de QGIS (QGIS puede pedir su contraseña maestra).</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" />
            <source>Settings: {text}</source>
            <translation>Configuración: {text}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" />
            <source>Settings saved (server {url}).</source>
            <translation>Configuración guardada (servidor {url}).</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" />
            <source>The stored key was deleted from QGIS's authentication database.</source>
            <translation>La clave guardada se borró de la base de datos de autenticación de QGIS.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" />
            <source>The stored Katapult API key was deleted.</source>
            <translation>Se borró la clave de API de Katapult guardada.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" />
            <source>Testing connection to {url}…</source>
            <translation>Probando la conexión con {url}…</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" />
            <source>Test connection failed: {text}</source>
            <translation>La prueba de conexión falló: {text}</translation>
        </message>
    </context>
    <context>
        <name>SyncDock</name>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>&lt; 1 s</source>
            <translation>&lt; 1 s</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>{0} s</source>
            <translation>{0} s</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>{0} min {1} s</source>
            <translation>{0} min {1} s</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>{0} h {1} min</source>
            <translation>{0} h {1} min</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Katapult sync</source>
            <translation>Sincronización de Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>No Katapult job open.</source>
            <translation>No hay ningún trabajo de Katapult abierto.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Push</source>
            <translation>Enviar</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Pull</source>
            <translation>Descargar cambios</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Pause</source>
            <translation>Pausa</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Resume</source>
            <translation>Reanudar</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Cancel</source>
            <translation>Cancelar</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Retry failed</source>
            <translation>Reintentar fallidos</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Send edits automatically when the job's layers are saved</source>
            <translation>Enviar las ediciones automáticamente al guardar las capas del trabajo</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Item</source>
            <translation>Elemento</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Id</source>
            <translation>Id</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Server message</source>
            <translation>Mensaje del servidor</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Operations the server refused (click to show the item):</source>
            <translation>Operaciones que el servidor rechazó (haga clic para mostrar el elemento):</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Katapult</source>
            <translation>Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Katapult refused the API key; sending is paused. Enter a valid key in Katapult settings, then press Resume.</source>
            <translation>Katapult rechazó la clave de API; el envío está en pausa. Introduzca una clave válida en la configuración de Katapult y pulse Reanudar.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>The API key was refused; sending is paused until a valid key is entered.</source>
            <translation>La clave de API fue rechazada; el envío queda en pausa hasta que se introduzca una clave válida.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>All edits are processed.</source>
            <translation>Todas las ediciones están procesadas.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Sending was cancelled; what is left stays queued.</source>
            <translation>El envío se canceló; lo que falta sigue en cola.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Sending is paused; press Resume to continue.</source>
            <translation>El envío está en pausa; pulse Reanudar para continuar.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Katapult refused the API key; sending is paused.</source>
            <translation>Katapult rechazó la clave de API; el envío está en pausa.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Katapult cannot be reached right now; the edits stay queued. Press Resume to retry.</source>
            <translation>No se puede contactar con Katapult en este momento; las ediciones siguen en cola. Pulse Reanudar para reintentar.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Sending stopped because of an error.</source>
            <translation>El envío se detuvo por un error.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Pending: {0}   Sent: {1}   Failed: {2}   Held: {3}   Done: {4}</source>
            <translation>Pendientes: {0}   Enviadas: {1}   Fallidas: {2}   Retenidas: {3}   Hechas: {4}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Time left: {0}</source>
            <translation>Tiempo restante: {0}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Sending edits to Katapult…</source>
            <translation>Enviando ediciones a Katapult…</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Cannot read the sync journal: {0}</source>
            <translation>No se puede leer el diario de sincronización: {0}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>held: </source>
            <translation>retenida: </translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Resuming {0} edits not yet sent from the last session.</source>
            <translation>Reanudando {0} ediciones de la sesión anterior que aún no se enviaron.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" />
            <source>Pulled: {0} items updated from the server, {1} merged with your edits, {2} conflicts.</source>
            <translation>Descargado: {0} elementos actualizados desde el servidor, {1} fusionados con sus ediciones, {2} conflictos.</translation>
        </message>
    </context>
    <context>
        <name>SyncWorker</name>
        <message>
            <location filename="../plugin/worker.py" />
            <source>No Katapult connection is configured.</source>
            <translation>No hay ninguna conexión de Katapult configurada.</translation>
        </message>
        <message>
            <location filename="../plugin/worker.py" />
            <source>Katapult: sending edits</source>
            <translation>Katapult: enviando ediciones</translation>
        </message>
    </context>
    <context>
        <name>Topology</name>
        <message>
            <location filename="../plugin/layers/topology.py" />
            <source>Could not {what} the linked change on layer '{layer}': it has other edits on top; use that layer's own undo.</source>
            <translation>No se pudo {what} el cambio vinculado en la capa '{layer}': tiene otras ediciones encima; use el deshacer de esa capa.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" />
            <source>undo</source>
            <translation>deshacer</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" />
            <source>redo</source>
            <translation>rehacer</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" />
            <source>The deleted pole(s) {names} have {spans} span(s) with {sections} section(s). Delete those spans and sections too? (No leaves them in place; Push will then report spans whose pole is missing.)</source>
            <translation>Los postes borrados {names} tienen {spans} vano(s) con {sections} sección(es). ¿Borrar también esos vanos y secciones? (No los deja en su sitio; Enviar informará entonces de los vanos sin poste.)</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" />
            <source>Delete spans too?</source>
            <translation>¿Borrar también los vanos?</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" />
            <source>Keep spans on their poles</source>
            <translation>Mantener los vanos en sus postes</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" />
            <source>Keep sections on their spans</source>
            <translation>Mantener las secciones en sus vanos</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" />
            <source>Deleted {n} section(s) of the deleted span(s) with them.</source>
            <translation>Se borraron con ellos {n} sección(es) de los vanos borrados.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" />
            <source>Span {span} now connects pole {node} to itself; set another pole in node_id_1 or node_id_2.</source>
            <translation>El vano {span} ahora une el poste {node} consigo mismo; ponga otro poste en node_id_1 o node_id_2.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" />
            <source>Span {span} refers to pole {node}, which is not in the nodes layer; its end was left where it is.</source>
            <translation>El vano {span} hace referencia al poste {node}, que no está en la capa de nodos; su extremo se dejó donde está.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" />
            <source>Span {span} now ends on pole {node}.</source>
            <translation>El vano {span} ahora termina en el poste {node}.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" />
            <source>Span {span} cannot connect a pole to itself; its end was put back on pole {node}.</source>
            <translation>El vano {span} no puede unir un poste consigo mismo; su extremo se devolvió al poste {node}.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" />
            <source>Span ends stay on their poles: span {span} was put back on pole {node}. Drag the end onto another pole to re-attach it.</source>
            <translation>Los extremos de los vanos se quedan en sus postes: el vano {span} se devolvió al poste {node}. Arrastre el extremo sobre otro poste para volver a unirlo.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" />
            <source>{n} span(s) still reference deleted pole(s) {ids}; Push will report them until they are deleted or re-attached.</source>
            <translation>{n} vano(s) todavía hacen referencia a postes borrados {ids}; Enviar los señalará hasta que se borren o se vuelvan a unir.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" />
            <source>Layer '{name}' cannot be edited, so its features could not follow the change; make it editable and move the pole again.</source>
            <translation>La capa '{name}' no se puede editar, así que sus objetos no pudieron seguir el cambio; hágala editable y mueva el poste otra vez.</translation>
        </message>
    </context>
    <context>
        <name>UploadPhotosAlgorithm</name>
        <message>
            <location filename="../plugin/processing/alg_uploadphotos.py" />
            <source>Folder of photos</source>
            <translation>Carpeta de fotos</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_uploadphotos.py" />
            <source>Largest distance from photo to node (m)</source>
            <translation>Distancia máxima de la foto al nodo (m)</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_uploadphotos.py" />
            <source>Match by EXIF GPS position</source>
            <translation>Emparejar por la posición GPS del EXIF</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_uploadphotos.py" />
            <source>Match by capture time (node time_bucket)</source>
            <translation>Emparejar por la hora de captura (time_bucket del nodo)</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_uploadphotos.py" />
            <source>Association</source>
            <translation>Asociación</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_uploadphotos.py" />
            <source>associated (true)</source>
            <translation>asociada (true)</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_uploadphotos.py" />
            <source>main photo (main)</source>
            <translation>foto principal (main)</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_uploadphotos.py" />
            <source>Dry run (match and list, upload nothing)</source>
            <translation>Simulación (emparejar y listar, no subir nada)</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_uploadphotos.py" />
            <source>Photo matches</source>
            <translation>Emparejamientos de fotos</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_uploadphotos.py" />
            <source>Photo folder {0} does not exist; give an existing folder (FOLDER).</source>
            <translation>La carpeta de fotos {0} no existe; indique una carpeta existente (FOLDER).</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_uploadphotos.py" />
            <source>Nothing to match photos with: turn on USE_GPS and/or USE_TIME.</source>
            <translation>No hay con qué emparejar las fotos: active USE_GPS y/o USE_TIME.</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_uploadphotos.py" />
            <source>{0} file(s) in {1}; {2} node(s) to match against.</source>
            <translation>{0} archivo(s) en {1}; {2} nodo(s) con los que emparejar.</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_uploadphotos.py" />
            <source>Cancelled while reading the photos.</source>
            <translation>Cancelado mientras se leían las fotos.</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_uploadphotos.py" />
            <source>{0}; run the upload again (it is not sent twice)</source>
            <translation>{0}; ejecute la subida de nuevo (no se envía dos veces)</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_uploadphotos.py" />
            <source>stopped before this photo; run the upload again</source>
            <translation>detenido antes de esta foto; ejecute la subida de nuevo</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_uploadphotos.py" />
            <source>Refused: {0}</source>
            <translation>Rechazado: {0}</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_uploadphotos.py" />
            <source>no node matched; not uploaded</source>
            <translation>ningún nodo coincide; no se ha subido</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_uploadphotos.py" />
            <source>Unmatched: {0}: {1}</source>
            <translation>Sin emparejar: {0}: {1}</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_uploadphotos.py" />
            <source>Not uploaded: {0}: {1}</source>
            <translation>No subida: {0}: {1}</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_uploadphotos.py" />
            <source>{MATCHED} matched, {UPLOADED} uploaded, {SKIPPED} skipped, {UNMATCHED} unmatched, {REFUSED} refused, {FAILED} not uploaded.</source>
            <translation>{MATCHED} emparejadas, {UPLOADED} subidas, {SKIPPED} omitidas, {UNMATCHED} sin emparejar, {REFUSED} rechazadas, {FAILED} no subidas.</translation>
        </message>
        <message>
            <location filename="../plugin/processing/alg_uploadphotos.py" />
            <source>Dry run: nothing was uploaded.</source>
            <translation>Simulación: no se ha subido nada.</translation>
        </message>
    </context>
</TS>
