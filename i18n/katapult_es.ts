<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1">
    <context>
        <name>Auth</name>
        <message>
            <location filename="../plugin/auth.py" line="30" />
            <source>QGIS's authentication system is disabled, so the API key cannot be stored.</source>
            <translation>El sistema de autenticación de QGIS está desactivado, así que no se puede guardar la clave de API.</translation>
        </message>
        <message>
            <location filename="../plugin/auth.py" line="41" />
            <source>QGIS's authentication database is locked: enter (or create) its master password when QGIS asks, then try again.</source>
            <translation>La base de datos de autenticación de QGIS está bloqueada: introduzca (o cree) su contraseña maestra cuando QGIS la pida y vuelva a intentarlo.</translation>
        </message>
        <message>
            <location filename="../plugin/auth.py" line="53" />
            <source>Katapult API key ({host})</source>
            <translation>Clave de API de Katapult ({host})</translation>
        </message>
        <message>
            <location filename="../plugin/auth.py" line="68" />
            <source>QGIS could not update the stored API key.</source>
            <translation>QGIS no pudo actualizar la clave de API guardada.</translation>
        </message>
        <message>
            <location filename="../plugin/auth.py" line="73" />
            <source>QGIS could not store the API key in its authentication database.</source>
            <translation>QGIS no pudo guardar la clave de API en su base de datos de autenticación.</translation>
        </message>
        <message>
            <location filename="../plugin/auth.py" line="83" />
            <source>The authentication configuration {id} chosen for Katapult no longer exists. Open Web &gt; Katapult &gt; Settings… and enter the API key again.</source>
            <translation>La configuración de autenticación {id} elegida para Katapult ya no existe. Abra Web &gt; Katapult &gt; Configuración… e introduzca de nuevo la clave de API.</translation>
        </message>
        <message>
            <location filename="../plugin/auth.py" line="95" />
            <source>QGIS could not read the API key from authentication configuration {id}.</source>
            <translation>QGIS no pudo leer la clave de API de la configuración de autenticación {id}.</translation>
        </message>
    </context>
    <context>
        <name>ConnectionTest</name>
        <message>
            <location filename="../plugin/gui/connection_test.py" line="29" />
            <source>(no e-mail)</source>
            <translation>(sin correo electrónico)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/connection_test.py" line="33" />
            <source>Connected. This key belongs to {email} (user id {uid}, company {company}</source>
            <translation>Conectado. Esta clave pertenece a {email} (id de usuario {uid}, empresa {company}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/connection_test.py" line="37" />
            <source>, root company {root}</source>
            <translation>, empresa raíz {root}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/connection_test.py" line="52" />
            <source>Katapult: test connection</source>
            <translation>Katapult: probar la conexión</translation>
        </message>
    </context>
    <context>
        <name>ErrorText</name>
        <message>
            <location filename="../plugin/gui/error_text.py" line="23" />
            <source>the server</source>
            <translation>el servidor</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" line="45" />
            <source>Missing API key: the server received no key. Enter your Katapult API key in Web &gt; Katapult &gt; Settings….</source>
            <translation>Falta la clave de API: el servidor no recibió ninguna clave. Introduzca su clave de API de Katapult en Web &gt; Katapult &gt; Configuración….</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" line="51" />
            <source>Invalid API key: {host} does not recognise this key. Copy it again from Katapult Pro (it may have been revoked or mistyped).</source>
            <translation>Clave de API no válida: {host} no reconoce esta clave. Cópiela de nuevo desde Katapult Pro (puede haber sido revocada o estar mal escrita).</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" line="57" />
            <source>The key is valid, but its user has no API access on {host}. Ask your Katapult company administrator to enable API access for this user.</source>
            <translation>La clave es válida, pero su usuario no tiene acceso a la API en {host}. Pida al administrador de su empresa en Katapult que active el acceso a la API para este usuario.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" line="66" />
            <source>The connection to {host} broke after the request was sent, so it is unknown whether it was applied. It will be checked before retrying.</source>
            <translation>La conexión con {host} se cortó después de enviar la petición, así que no se sabe si se aplicó. Se comprobará antes de reintentar.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" line="72" />
            <source>Secure connection to {host} failed (TLS certificate could not be verified). Check the server URL and that your system trusts the server's certificate (a company proxy may need its certificate installed).</source>
            <translation>La conexión segura con {host} falló (no se pudo verificar el certificado TLS). Compruebe la URL del servidor y que su sistema confía en el certificado del servidor (un proxy de empresa puede necesitar que se instale su certificado).</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" line="79" />
            <source>{host} did not answer in time. Check your network connection and try again.</source>
            <translation>{host} no respondió a tiempo. Compruebe su conexión de red y vuelva a intentarlo.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" line="83" />
            <source>Cannot reach {host}: check the server URL and your network connection (proxy, VPN, firewall).</source>
            <translation>No se puede contactar con {host}: compruebe la URL del servidor y su conexión de red (proxy, VPN, cortafuegos).</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" line="89" />
            <source>{host} answered, but not like a Katapult Pro API server. Check the server URL (it normally ends in /api/v3, e.g. https://katapultpro.com/api/v3).</source>
            <translation>{host} respondió, pero no como un servidor de la API de Katapult Pro. Compruebe la URL del servidor (normalmente termina en /api/v3, p. ej. https://katapultpro.com/api/v3).</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" line="95" />
            <source>{host} has no Katapult API at this address. Check the server URL (it normally ends in /api/v3).</source>
            <translation>{host} no tiene una API de Katapult en esta dirección. Compruebe la URL del servidor (normalmente termina en /api/v3).</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" line="101" />
            <source>Katapult's rate limit for this key was reached. Wait a minute and try again.</source>
            <translation>Se alcanzó el límite de peticiones de Katapult para esta clave. Espere un minuto y vuelva a intentarlo.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" line="106" />
            <source>The Katapult server had an internal error (HTTP {status}). Try again later.</source>
            <translation>El servidor de Katapult tuvo un error interno (HTTP {status}). Inténtelo más tarde.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" line="111" />
            <source>Cancelled.</source>
            <translation>Cancelado.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/error_text.py" line="114" />
            <source>Unexpected error ({kind}): {message}</source>
            <translation>Error inesperado ({kind}): {message}</translation>
        </message>
    </context>
    <context>
        <name>KatapultAlgorithm</name>
        <message>
            <location filename="../plugin/processing/base.py" line="51" />
            <source>Katapult API key (authentication configuration)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/processing/base.py" line="56" />
            <source>Server URL (empty: the plugin setting or KATAPULT_BASE_URL)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/processing/base.py" line="71" />
            <source>Cannot connect to Katapult: {error}. Set an API key in the plugin settings, pass AUTHCFG, or set KATAPULT_API_KEY.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>KatapultLayers</name>
        <message>
            <location filename="../plugin/layers/geopackage.py" line="96" />
            <source>{n} nodes, {c} connections, {s} sections, {p} photos</source>
            <translation>{n} nodos, {c} conexiones, {s} secciones, {p} fotos</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" line="101" />
            <source>{count} {kind}(s) not drawn (missing node or coordinates): {ids}</source>
            <translation>{count} {kind} sin dibujar (falta el nodo o las coordenadas): {ids}</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" line="104" />
            <source>{count} data issue(s), see the Katapult log</source>
            <translation>{count} problema(s) de datos; vea el registro de Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" line="358" />
            <source>{path} has no field schema for {kind}; download the job again.</source>
            <translation>{path} no tiene esquema de campos para {kind}; descargue el trabajo de nuevo.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" line="410" />
            <source>Cannot create layer {layer} in {path}: {error}</source>
            <translation>No se puede crear la capa {layer} en {path}: {error}</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" line="414" />
            <source>Cannot write layer {layer} in {path}: {error}</source>
            <translation>No se puede escribir la capa {layer} en {path}: {error}</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" line="437" />
            <source>{path} still has {n} edit(s) not sent to Katapult; push them or use Refresh instead of downloading the job again.</source>
            <translation>{path} todavía tiene {n} edición(es) sin enviar a Katapult; envíelas o use Actualizar en lugar de descargar el trabajo de nuevo.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" line="443" />
            <source>Loading the job was cancelled.</source>
            <translation>Se canceló la carga del trabajo.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" line="453" />
            <source>Reading job data</source>
            <translation>Leyendo los datos del trabajo</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" line="459" />
            <source>Writing {layer}</source>
            <translation>Escribiendo {layer}</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" line="470" />
            <source>Writing photos</source>
            <translation>Escribiendo las fotos</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" line="481" />
            <source>Writing the snapshot</source>
            <translation>Escribiendo la instantánea</translation>
        </message>
        <message>
            <location filename="../plugin/layers/geopackage.py" line="500" />
            <source>Finishing</source>
            <translation>Terminando</translation>
        </message>
        <message>
            <location filename="../plugin/layers/project.py" line="71" />
            <source>Cannot apply style {style}: {message}</source>
            <translation>No se puede aplicar el estilo {style}: {message}</translation>
        </message>
        <message>
            <location filename="../plugin/layers/project.py" line="119" />
            <source>{path} does not exist; download the job first.</source>
            <translation>{path} no existe; descargue primero el trabajo.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/project.py" line="123" />
            <source>{path} is not a Katapult job GeoPackage (no kp_meta job id).</source>
            <translation>{path} no es un GeoPackage de trabajo de Katapult (no hay id de trabajo en kp_meta).</translation>
        </message>
        <message>
            <location filename="../plugin/layers/project.py" line="131" />
            <source>Layer {table} in {path} cannot be opened; download the job again.</source>
            <translation>No se puede abrir la capa {table} de {path}; descargue el trabajo de nuevo.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/refresh.py" line="67" />
            <source>updated {u}, added {a}, deleted {d}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/layers/refresh.py" line="70" />
            <source>{n} feature(s) changed here were not overwritten: {items}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/layers/refresh.py" line="74" />
            <source>{n} problem(s), see the Katapult log</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/layers/refresh.py" line="98" />
            <source>Layer {name} has unsaved edits; save or discard them, then refresh again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/layers/refresh.py" line="106" />
            <source>Cannot add fields to {name}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/layers/refresh.py" line="134" />
            <source>server value does not fit the field</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/layers/refresh.py" line="149" />
            <source>Cannot update features of {name}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/layers/refresh.py" line="151" />
            <source>Cannot update geometries of {name}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/layers/refresh.py" line="153" />
            <source>Cannot add features to {name}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/layers/refresh.py" line="156" />
            <source>Cannot delete features of {name}.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>KatapultPhotos</name>
        <message>
            <location filename="../plugin/photos/jpeg_check.py" line="118" />
            <source>{name}: cannot be read ({reason}); check that the file exists and that you may read it.</source>
            <translation>{name}: no se puede leer ({reason}); compruebe que el archivo existe y que tiene permiso de lectura.</translation>
        </message>
        <message>
            <location filename="../plugin/photos/jpeg_check.py" line="143" />
            <source>{name}: very large ({mb:.1f} MB); the upload will be slow. Consider exporting it smaller.</source>
            <translation>{name}: muy grande ({mb:.1f} MB); la subida será lenta. Considere exportarla a menor tamaño.</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" line="197" />
            <source>clues disagree: GPS points to {a} ({ga}), time to {b} ({tb}); choose the item</source>
            <translation>los indicios no coinciden: el GPS apunta a {a} ({ga}) y la hora a {b} ({tb}); elija el elemento</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" line="254" />
            <source>{d:.1f} m from {item}</source>
            <translation>a {d:.1f} m de {item}</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" line="260" />
            <source>; {item2} is almost as close ({d2:.1f} m)</source>
            <translation>; {item2} está casi igual de cerca ({d2:.1f} m)</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" line="275" />
            <source>taken inside {item}'s time window {a} – {b}</source>
            <translation>tomada dentro de la ventana horaria de {item}, {a} – {b}</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" line="282" />
            <source>taken {s:.0f} s outside {item}'s time window</source>
            <translation>tomada {s:.0f} s fuera de la ventana horaria de {item}</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" line="291" />
            <source>no GPS position and no capture time in EXIF; choose the item by hand</source>
            <translation>sin posición GPS ni hora de captura en EXIF; elija el elemento a mano</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" line="296" />
            <source>nearest node {item} is {d:.0f} m away (limit {m:.0f} m)</source>
            <translation>el nodo más cercano, {item}, está a {d:.0f} m (límite {m:.0f} m)</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" line="302" />
            <source>no node with a position in this job</source>
            <translation>ningún nodo de este trabajo tiene posición</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" line="304" />
            <source>GPS is ambiguous between {a} and {b}</source>
            <translation>el GPS es ambiguo entre {a} y {b}</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" line="310" />
            <source>no GPS position in EXIF</source>
            <translation>sin posición GPS en EXIF</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" line="313" />
            <source>capture time {t} is in no node's time window</source>
            <translation>la hora de captura {t} no cae en la ventana horaria de ningún nodo</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" line="319" />
            <source>capture time fits several nodes</source>
            <translation>la hora de captura encaja con varios nodos</translation>
        </message>
        <message>
            <location filename="../plugin/photos/matching.py" line="321" />
            <source>no capture time in EXIF</source>
            <translation>sin hora de captura en EXIF</translation>
        </message>
        <message>
            <location filename="../plugin/photos/planning.py" line="58" />
            <source>job only (not associated)</source>
            <translation>solo en el trabajo (sin asociar)</translation>
        </message>
        <message>
            <location filename="../plugin/photos/planning.py" line="105" />
            <source>{n} photo(s) to upload, {t} tokens</source>
            <translation>{n} foto(s) por subir, {t} tokens</translation>
        </message>
        <message>
            <location filename="../plugin/photos/planning.py" line="108" />
            <source>about {d} at the current rate limits</source>
            <translation>unos {d} con los límites de peticiones actuales</translation>
        </message>
        <message>
            <location filename="../plugin/photos/planning.py" line="112" />
            <source>{n} skipped</source>
            <translation>{n} omitida(s)</translation>
        </message>
        <message>
            <location filename="../plugin/photos/planning.py" line="114" />
            <source>{n} refused</source>
            <translation>{n} rechazada(s)</translation>
        </message>
        <message>
            <location filename="../plugin/photos/planning.py" line="152" />
            <source>{name}: no item chosen; not uploaded</source>
            <translation>{name}: no se eligió ningún elemento; no se subió</translation>
        </message>
        <message>
            <location filename="../plugin/photos/planning.py" line="157" />
            <source>{name}: same content as {other} in this batch; uploaded once</source>
            <translation>{name}: mismo contenido que {other} en este lote; se subió una sola vez</translation>
        </message>
        <message>
            <location filename="../plugin/photos/planning.py" line="169" />
            <source>{name}: already uploaded (photo {pid}); use Move in the photo dock to change its item</source>
            <translation>{name}: ya subida (foto {pid}); use Mover en el panel de fotos para cambiar su elemento</translation>
        </message>
        <message>
            <location filename="../plugin/photos/uploader.py" line="196" />
            <source>{name}: the file changed after it was checked; run the import again</source>
            <translation>{name}: el archivo cambió después de comprobarlo; vuelva a ejecutar la importación</translation>
        </message>
        <message>
            <location filename="../plugin/photos/uploader.py" line="286" />
            <source>the queued photo has no content</source>
            <translation>la foto en cola no tiene contenido</translation>
        </message>
        <message>
            <location filename="../plugin/photos/uploader.py" line="328" />
            <source>the server answered without a photo id</source>
            <translation>el servidor respondió sin un id de foto</translation>
        </message>
        <message>
            <location filename="../plugin/photos/uploader.py" line="391" />
            <source>several photos on the server could be this upload; check the job's photos before retrying</source>
            <translation>varias fotos del servidor podrían ser esta subida; revise las fotos del trabajo antes de reintentar</translation>
        </message>
        <message>
            <location filename="../plugin/photos/planning.py" line="60" />
            <source>main</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/photos/planning.py" line="60" />
            <source>associated</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>KatapultPlugin</name>
        <message>
            <location filename="../plugin/main.py" line="119" />
            <source>About Katapult for QGIS</source>
            <translation>Acerca de Katapult para QGIS</translation>
        </message>
        <message>
            <location filename="../plugin/main.py" line="100" />
            <source>Katapult for QGIS opens Katapult Pro jobs (poles, spans, midspans and photos) as QGIS layers, lets you edit them with QGIS's tools and writes the edits back to Katapult. Logs: View &gt; Panels &gt; Log Messages, tab Katapult.</source>
            <translation>Katapult para QGIS abre trabajos de Katapult Pro (postes, vanos, puntos intermedios y fotos) como capas de QGIS, permite editarlos con las herramientas de QGIS y envía las ediciones de vuelta a Katapult. Registro: Ver &gt; Paneles &gt; Mensajes de registro, pestaña Katapult.</translation>
        </message>
        <message>
            <location filename="../plugin/main.py" line="114" />
            <source>Settings…</source>
            <translation>Configuración…</translation>
        </message>
        <message>
            <location filename="../plugin/main.py" line="179" />
            <source>The Katapult Processing provider could not be loaded</source>
            <translation>No se pudo cargar el proveedor de Processing de Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/main.py" line="184" />
            <source>Katapult</source>
            <translation>Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/main.py" line="197" />
            <source>A Katapult clean-up step failed</source>
            <translation>Falló un paso de limpieza de Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/main.py" line="242" />
            <source>The panel '{title}' could not be created</source>
            <translation>No se pudo crear el panel '{title}'</translation>
        </message>
        <message>
            <location filename="../plugin/main.py" line="263" />
            <source>'{action}' failed</source>
            <translation>'{action}' falló</translation>
        </message>
    </context>
    <context>
        <name>KatapultProcessing</name>
        <message>
            <location filename="../plugin/processing/provider.py" line="22" />
            <source>Katapult</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ListJobsAlgorithm</name>
        <message>
            <location filename="../plugin/processing/alg_listjobs.py" line="35" />
            <source>Include archived jobs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/processing/alg_listjobs.py" line="37" />
            <source>Metadata filter (attribute:value, comma separated)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/processing/alg_listjobs.py" line="40" />
            <source>Jobs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/processing/alg_listjobs.py" line="42" />
            <source>Number of jobs</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/processing/alg_listjobs.py" line="73" />
            <source>{n} job(s)</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>PoleLine</name>
        <message>
            <location filename="../plugin/maptools/options_widget.py" line="60" />
            <source>node_type of new poles</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" line="65" />
            <source>pole_height=45; proposed=true</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" line="66" />
            <source>Default attributes of new poles: name=value, separated by ';'</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" line="72" />
            <source>connection_type of new spans</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" line="77" />
            <source>Auto-spacing</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" line="78" />
            <source>Click a route; poles are proposed along it</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" line="80" />
            <source>Pole spacing along the route</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" line="81" />
            <source>Longest allowed span: longer spans are flagged</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" line="84" />
            <source>Pole:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" line="87" />
            <source>Span:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" line="90" />
            <source>every</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/maptools/options_widget.py" line="92" />
            <source>max</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/maptools/pole_line_tool.py" line="126" />
            <source>Pole {fid} of layer '{layer}' has no kp_id, so a span cannot refer to it; a new pole is placed instead.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/maptools/pole_line_tool.py" line="192" />
            <source>Pole line cancelled; nothing was added.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/maptools/pole_line_tool.py" line="208" />
            <source>Select a layer of the Katapult job to draw in (its nodes or connections layer) first.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/maptools/pole_line_tool.py" line="222" />
            <source>A span cannot connect a pole to itself; click another pole or an empty spot.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/maptools/pole_line_tool.py" line="225" />
            <source>Same spot as the previous pole: no zero-length span was made.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/maptools/pole_line_tool.py" line="235" />
            <source>There is already a span between these two poles; click another spot.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/maptools/pole_line_tool.py" line="292" />
            <source>Preview: {poles} poles, {spans} spans, longest {longest}. Enter or right click adds them, Backspace goes back to the route, Esc cancels.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/maptools/pole_line_tool.py" line="313" />
            <source>{n} span(s) are longer than the maximum of {max}.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/maptools/pole_line_tool.py" line="309" />
            <source>Added {poles} pole(s) and {spans} span(s) ({length}); they are sent on Push.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/maptools/pole_line_tool.py" line="379" />
            <source>{length} &gt; max {max}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" line="78" />
            <source>The job has no such layer; reload the job.</source>
            <translation>El trabajo no tiene esa capa; vuelva a cargar el trabajo.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" line="80" />
            <source>Layer '{name}' is read-only; make it editable in Layer Properties or save a writable copy.</source>
            <translation>La capa '{name}' es de solo lectura; hágala editable en Propiedades de la capa o guarde una copia editable.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" line="84" />
            <source>Layer '{name}' cannot add features (its data source does not allow it); save it as a GeoPackage first.</source>
            <translation>La capa '{name}' no admite añadir objetos (su fuente de datos no lo permite); guárdela primero como GeoPackage.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" line="95" />
            <source>Could not start editing layer '{name}'; check that its file is writable and not locked by another program.</source>
            <translation>No se pudo empezar a editar la capa '{name}'; compruebe que su archivo se puede escribir y no está bloqueado por otro programa.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" line="111" />
            <source>Default attribute '{item}' is not name=value; write it like pole_height=45.</source>
            <translation>El atributo predeterminado '{item}' no tiene la forma nombre=valor; escríbalo como pole_height=45.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" line="115" />
            <source>Default attribute '{item}' has no name before '='.</source>
            <translation>El atributo predeterminado '{item}' no tiene nombre antes de '='.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" line="118" />
            <source>'{name}' is managed by the plugin and cannot be a default attribute; remove it.</source>
            <translation>'{name}' lo gestiona el complemento y no puede ser un atributo predeterminado; quítelo.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" line="139" />
            <source>Value '{value}' does not fit field '{name}' of layer '{layer}' ({type}); fix the default attribute.</source>
            <translation>El valor '{value}' no cabe en el campo '{name}' de la capa '{layer}' ({type}); corrija el atributo predeterminado.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" line="150" />
            <source>Layer '{layer}' has no field '{name}' and it cannot be added; add it in Layer Properties.</source>
            <translation>La capa '{layer}' no tiene el campo '{name}' y no se puede añadir; añádalo en Propiedades de la capa.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" line="172" />
            <source>A span cannot connect a pole to itself; click somewhere else for the next pole.</source>
            <translation>Un vano no puede unir un poste consigo mismo; haga clic en otro lugar para el siguiente poste.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" line="177" />
            <source>The drawing makes the same span twice; remove the last pole (Backspace).</source>
            <translation>El dibujo crea el mismo vano dos veces; quite el último poste (Retroceso).</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" line="208" />
            <source>The job needs both a nodes and a connections layer to draw pole lines; reload the job.</source>
            <translation>Para dibujar líneas de postes el trabajo necesita una capa de nodos y una de conexiones; vuelva a cargar el trabajo.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" line="214" />
            <source>There is already a span between poles {a} and {b}; remove the last pole (Backspace).</source>
            <translation>Ya hay un vano entre los postes {a} y {b}; quite el último poste (Retroceso).</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" line="228" />
            <source>Draw pole line</source>
            <translation>Dibujar línea de postes</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" line="243" />
            <source>Layer '{layer}' refused a new pole; check its constraints.</source>
            <translation>La capa '{layer}' rechazó un poste nuevo; revise sus restricciones.</translation>
        </message>
        <message>
            <location filename="../plugin/maptools/writer.py" line="262" />
            <source>Layer '{layer}' refused a new span; check its constraints.</source>
            <translation>La capa '{layer}' rechazó un vano nuevo; revise sus restricciones.</translation>
        </message>
    </context>
    <context>
        <name>QaAlgorithm</name>
        <message>
            <location filename="../plugin/processing/alg_qa.py" line="40" />
            <source>Job GeoPackage</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/processing/alg_qa.py" line="47" />
            <source>QA issues</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/processing/alg_qa.py" line="49" />
            <source>Number of issues</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/processing/alg_qa.py" line="50" />
            <source>Number of errors</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/processing/alg_qa.py" line="72" />
            <source>{n} issue(s), {e} error(s) on {nodes} nodes</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Settings</name>
        <message>
            <location filename="../plugin/settings.py" line="42" />
            <source>No Katapult API key is set. Open Web &gt; Katapult &gt; Settings… and enter your key, or set the KATAPULT_API_KEY environment variable.</source>
            <translation>No hay ninguna clave de API de Katapult. Abra Web &gt; Katapult &gt; Configuración… e introduzca su clave, o defina la variable de entorno KATAPULT_API_KEY.</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" line="72" />
            <source>Enter the server URL, e.g. https://katapultpro.com/api/v3.</source>
            <translation>Introduzca la URL del servidor, p. ej. https://katapultpro.com/api/v3.</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" line="76" />
            <source>The server URL must not contain spaces.</source>
            <translation>La URL del servidor no puede contener espacios.</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" line="81" />
            <source>The server URL is malformed (bad host or port): {url}</source>
            <translation>La URL del servidor está mal formada (servidor o puerto incorrecto): {url}</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" line="88" />
            <source>The server URL must start with https:// and name a server, e.g. https://katapultpro.com/api/v3 (got: {url}).</source>
            <translation>La URL del servidor debe empezar por https:// e indicar un servidor, p. ej. https://katapultpro.com/api/v3 (se recibió: {url}).</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" line="97" />
            <source>The server URL has no host name: {url}</source>
            <translation>La URL del servidor no tiene nombre de servidor: {url}</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" line="101" />
            <source>The server URL must not contain a user name or password (user@host).</source>
            <translation>La URL del servidor no puede contener usuario ni contraseña (usuario@servidor).</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" line="107" />
            <source>The server URL must not contain '?' or '#' parts: enter the API key in its own field.</source>
            <translation>La URL del servidor no puede contener partes con '?' o '#': introduzca la clave de API en su propio campo.</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" line="115" />
            <source>Plain http:// is only allowed for a server on this computer (127.0.0.1, localhost or [::1]); use https://{host} instead, so the API key is encrypted in transit.</source>
            <translation>http:// sin cifrar solo se permite para un servidor en este equipo (127.0.0.1, localhost o [::1]); use https://{host} para que la clave de API viaje cifrada.</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" line="132" />
            <source>Enter your Katapult API key.</source>
            <translation>Introduzca su clave de API de Katapult.</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" line="135" />
            <source>The API key contains a space or line break (character {n}). Copy it again from Katapult Pro without surrounding spaces.</source>
            <translation>La clave de API contiene un espacio o un salto de línea (carácter {n}). Cópiela de nuevo desde Katapult Pro sin espacios alrededor.</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" line="143" />
            <source>The API key contains an invisible control character (character {n}).</source>
            <translation>La clave de API contiene un carácter de control invisible (carácter {n}).</translation>
        </message>
        <message>
            <location filename="../plugin/settings.py" line="208" />
            <source>Units must be 'ft' or 'm' (got {u}).</source>
            <translation>Las unidades deben ser 'ft' o 'm' (se recibió {u}).</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" line="44" />
            <source>Katapult settings</source>
            <translation>Configuración de Katapult</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" line="54" />
            <source>Paste your Katapult Pro API key</source>
            <translation>Pegue su clave de API de Katapult Pro</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" line="57" />
            <source>Feet (ft)</source>
            <translation>Pies (ft)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" line="58" />
            <source>Metres (m)</source>
            <translation>Metros (m)</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" line="71" />
            <source>Test connection</source>
            <translation>Probar la conexión</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" line="76" />
            <source>Server URL</source>
            <translation>URL del servidor</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" line="77" />
            <source>API key</source>
            <translation>Clave de API</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" line="78" />
            <source>Units</source>
            <translation>Unidades</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" line="96" />
            <source>The key is kept encrypted in QGIS's authentication database (configuration {id}).</source>
            <translation>La clave se guarda cifrada en la base de datos de autenticación de QGIS (configuración {id}).</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" line="108" />
            <source>No key is saved; the KATAPULT_API_KEY environment variable is used. Saving here stores the key in QGIS's authentication database instead.</source>
            <translation>No hay ninguna clave guardada; se usa la variable de entorno KATAPULT_API_KEY. Al guardar aquí, la clave pasa a la base de datos de autenticación de QGIS.</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" line="115" />
            <source>The key will be kept encrypted in QGIS's authentication database (QGIS may ask for its master password).</source>
            <translation>La clave se guardará cifrada en la base de datos de autenticación de QGIS (QGIS puede pedir su contraseña maestra).</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" line="131" />
            <source>Settings: {text}</source>
            <translation>Configuración: {text}</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" line="144" />
            <source>Settings saved (server {url}).</source>
            <translation>Configuración guardada (servidor {url}).</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" line="157" />
            <source>Testing connection to {url}…</source>
            <translation>Probando la conexión con {url}…</translation>
        </message>
        <message>
            <location filename="../plugin/gui/settings_dialog.py" line="168" />
            <source>Test connection failed: {text}</source>
            <translation>La prueba de conexión falló: {text}</translation>
        </message>
    </context>
    <context>
        <name>SyncDock</name>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="39" />
            <source>&lt; 1 s</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="41" />
            <source>{0} s</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="43" />
            <source>{0} min {1} s</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="44" />
            <source>{0} h {1} min</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="126" />
            <source>Katapult sync</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="148" />
            <source>No Katapult job open.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="157" />
            <source>Push</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="158" />
            <source>Pull</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="159" />
            <source>Pause</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="160" />
            <source>Resume</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="161" />
            <source>Cancel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="162" />
            <source>Retry failed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="168" />
            <source>Item</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="168" />
            <source>Id</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="168" />
            <source>Server message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="173" />
            <source>Operations the server refused (click to show the item):</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="227" />
            <source>Katapult refused the API key; sending is paused. Enter a valid key in Katapult settings, then press Resume.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="233" />
            <source>Katapult</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="233" />
            <source>The API key was refused; sending is paused until a valid key is entered.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="246" />
            <source>All edits are processed.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="247" />
            <source>Sending was cancelled; what is left stays queued.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="248" />
            <source>Sending is paused; press Resume to continue.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="249" />
            <source>Katapult refused the API key; sending is paused.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="250" />
            <source>Katapult cannot be reached right now; the edits stay queued. Press Resume to retry.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="252" />
            <source>Sending stopped because of an error.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="259" />
            <source>Pending: {0}   Sent: {1}   Failed: {2}   Held: {3}   Done: {4}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="263" />
            <source>Time left: {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="265" />
            <source>Sending edits to Katapult…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="276" />
            <source>Cannot read the sync journal: {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <location filename="../plugin/gui/sync_dock.py" line="287" />
            <source>held: </source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>SyncWorker</name>
        <message>
            <location filename="../plugin/worker.py" line="294" />
            <source>No Katapult connection is configured.</source>
            <translation>No hay ninguna conexión de Katapult configurada.</translation>
        </message>
        <message>
            <location filename="../plugin/worker.py" line="327" />
            <source>Katapult: sending edits</source>
            <translation>Katapult: enviando ediciones</translation>
        </message>
    </context>
    <context>
        <name>Topology</name>
        <message>
            <location filename="../plugin/layers/topology.py" line="205" />
            <source>Could not {what} the linked change on layer '{layer}': it has other edits on top; use that layer's own undo.</source>
            <translation>No se pudo {what} el cambio vinculado en la capa '{layer}': tiene otras ediciones encima; use el deshacer de esa capa.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" line="205" />
            <source>undo</source>
            <translation>deshacer</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" line="205" />
            <source>redo</source>
            <translation>rehacer</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" line="252" />
            <source>The deleted pole(s) {names} have {spans} span(s) with {sections} section(s). Delete those spans and sections too? (No leaves them in place; Push will then report spans whose pole is missing.)</source>
            <translation>Los postes borrados {names} tienen {spans} vano(s) con {sections} sección(es). ¿Borrar también esos vanos y secciones? (No los deja en su sitio; Enviar informará entonces de los vanos sin poste.)</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" line="256" />
            <source>Delete spans too?</source>
            <translation>¿Borrar también los vanos?</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" line="429" />
            <source>Keep spans on their poles</source>
            <translation>Mantener los vanos en sus postes</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" line="432" />
            <source>Keep sections on their spans</source>
            <translation>Mantener las secciones en sus vanos</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" line="441" />
            <source>Deleted {n} section(s) of the deleted span(s) with them.</source>
            <translation>Se borraron con ellos {n} sección(es) de los vanos borrados.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" line="544" />
            <source>Span {span} now ends on pole {node}.</source>
            <translation>El vano {span} ahora termina en el poste {node}.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" line="548" />
            <source>Span {span} cannot connect a pole to itself; its end was put back on pole {node}.</source>
            <translation>El vano {span} no puede unir un poste consigo mismo; su extremo se devolvió al poste {node}.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" line="553" />
            <source>Span ends stay on their poles: span {span} was put back on pole {node}. Drag the end onto another pole to re-attach it.</source>
            <translation>Los extremos de los vanos se quedan en sus postes: el vano {span} se devolvió al poste {node}. Arrastre el extremo sobre otro poste para volver a unirlo.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" line="568" />
            <source>{n} span(s) still reference deleted pole(s) {ids}; Push will report them until they are deleted or re-attached.</source>
            <translation>{n} vano(s) todavía hacen referencia a postes borrados {ids}; Enviar los señalará hasta que se borren o se vuelvan a unir.</translation>
        </message>
        <message>
            <location filename="../plugin/layers/topology.py" line="623" />
            <source>Layer '{name}' cannot be edited, so its features could not follow the change; make it editable and move the pole again.</source>
            <translation>La capa '{name}' no se puede editar, así que sus objetos no pudieron seguir el cambio; hágala editable y mueva el poste otra vez.</translation>
        </message>
    </context>
</TS>
